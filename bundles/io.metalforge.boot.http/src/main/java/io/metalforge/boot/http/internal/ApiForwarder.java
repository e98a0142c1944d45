package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Forwards a {@code /MAAS/...} request to the API and metadata service and relays the answer, as MAAS's rack nginx
 * proxies {@code location /MAAS/} to the region on 5240. The request goes upstream with {@code Connection: close} and
 * {@code X-Forwarded-For}; its body is copied by its Content-Length or chunk by chunk; the answer is streamed back
 * unchanged until the API closes, and then the client connection is closed too.
 */
final class ApiForwarder {

    static final int CONNECT_TIMEOUT_MILLIS = 5000;
    /** An API answer may take a while (a deploy composes documents), but not forever. */
    static final int READ_TIMEOUT_MILLIS = 300_000;
    private static final int BUFFER = 64 * 1024;

    private final String host;
    private final int port;

    ApiForwarder(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("api_address must be host:port, not " + address);
        }
        this.host = address.substring(0, colon).replace("[", "").replace("]", "");
        this.port = Integer.parseInt(address.substring(colon + 1));
    }

    /** The status code the API answered, and the bytes relayed. */
    record Relayed(int status, long bytes) {
    }

    Relayed forward(RequestHead head, InputStream clientIn, OutputStream clientOut, String client) throws IOException {
        try (Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            upstream.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream up = upstream.getOutputStream();
            StringBuilder h = new StringBuilder(512);
            h.append(head.method).append(' ').append(head.target).append(' ').append(head.version).append("\r\n");
            for (String[] header : head.headers) {
                String name = header[0].toLowerCase(Locale.ROOT);
                if (name.equals("connection") || name.equals("keep-alive") || name.equals("proxy-connection")
                        || name.equals("x-forwarded-for")) {
                    continue;
                }
                h.append(header[0]).append(": ").append(header[1]).append("\r\n");
            }
            String forwarded = head.header("X-Forwarded-For");
            h.append("X-Forwarded-For: ").append(forwarded == null ? client : forwarded + ", " + client).append("\r\n");
            h.append("Connection: close\r\n\r\n");
            up.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            copyBody(head, clientIn, up);
            up.flush();
            return relayAnswer(upstream.getInputStream(), clientOut);
        }
    }

    private static void copyBody(RequestHead head, InputStream in, OutputStream out) throws IOException {
        String te = head.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            copyChunked(in, out);
            return;
        }
        String length = head.header("Content-Length");
        if (length == null) {
            return;
        }
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new RequestHead.BadRequest(400, "bad Content-Length");
        }
        copyExactly(in, out, n);
    }

    private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, n))];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException("client closed inside the request body");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    /** Relays chunks as they are, stopping after the last chunk and its trailers. */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = line(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new RequestHead.BadRequest(400, "bad chunk size");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = line(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!trailer.isEmpty());
                return;
            }
            copyExactly(in, out, size);
            String end = line(in);
            out.write((end + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed inside a chunked body");
            }
            if (b == '\n') {
                int len = s.length();
                return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
            }
            if (s.length() > 4096) {
                throw new RequestHead.BadRequest(400, "chunk line too long");
            }
            s.append((char) b);
        }
    }

    private static Relayed relayAnswer(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int status = 502;
        boolean first = true;
        int r;
        while ((r = in.read(buf)) > 0) {
            if (first) {
                status = statusOf(buf, r);
                first = false;
            }
            out.write(buf, 0, r);
            total += r;
        }
        out.flush();
        return new Relayed(status, total);
    }

    private static int statusOf(byte[] buf, int n) {
        String start = new String(buf, 0, Math.min(n, 16), StandardCharsets.ISO_8859_1);
        String[] parts = start.split(" ");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 502;
        } catch (NumberFormatException e) {
            return 502;
        }
    }
}
