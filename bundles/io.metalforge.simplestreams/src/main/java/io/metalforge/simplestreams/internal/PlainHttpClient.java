package io.metalforge.simplestreams.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small blocking HTTP/1.1 client for {@code http:} mirrors, direct or through an HTTP proxy: one GET (with an
 * optional Range) at a time per connection, connections kept alive for the next file of the import.
 * <p>
 * Why not {@link java.net.HttpURLConnection}, which still serves {@code https:}: a sync of many small files makes one
 * request per file, and in a fresh JVM the JDK client's request and header code, run interpreted, was most of the
 * download threads' Java samples. This client writes a request in one buffer and parses the answer's head from one
 * buffer; the body is read straight from the socket into the caller's buffer (the head's buffer is drained first).
 * <p>
 * Everything the server controls is bounded: a head line of at most {@link #MAX_LINE} bytes, at most
 * {@link #MAX_HEADERS} header fields, chunk-size lines as long as a head line. A body that ends before its
 * Content-Length or its last chunk ends in an {@link EOFException}, not in a short file taken for whole.
 */
final class PlainHttpClient {

    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;
    /** Idle connections kept, over all servers: more than the download threads of an import. */
    static final int MAX_IDLE = 16;
    /** How long an idle connection is kept: less than the keep-alive timeout servers commonly use (nginx: 75 s). */
    static final long IDLE_NANOS = 4_000_000_000L;

    /** An answer: its status, its header fields (names in lower case, the first of repeated ones) and its body. */
    static final class Answer implements HttpFetcher.Answer {
        private final int status;
        private final Map<String, String> headers;
        private final Body body;

        private Answer(int status, Map<String, String> headers, Body body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Content-Length, or -1 when the body is chunked or runs until the connection closes. */
        @Override
        public long contentLength() {
            return body.length;
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void discard() {
            body.drop();
        }
    }

    private final InetSocketAddress proxy;
    private final Deque<Connection> idle = new ArrayDeque<>();

    /** {@code proxy} null: straight to each URL's server. */
    PlainHttpClient(InetSocketAddress proxy) {
        this.proxy = proxy;
    }

    /**
     * Sends {@code GET uri} (from byte {@code offset} when it is above 0) and reads the answer's head. A kept-alive
     * connection the server closed meanwhile is found out by the request on it failing before any byte of an answer
     * came back; the request is then sent once more, on a new connection.
     */
    Answer get(URI uri, long offset, int connectMillis, int readMillis) throws IOException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IOException("Request to '" + uri + "' failed: no host");
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String endpoint = proxy != null ? "proxy" : host.toLowerCase(Locale.ROOT) + ":" + port;
        byte[] request = request(uri, host, port, offset);
        Connection reused = take(endpoint);
        if (reused != null) {
            try {
                return reused.exchange(request, readMillis, this, true);
            } catch (StaleConnection e) {
                // closed by the server while idle: once more on a new connection
            }
        }
        InetSocketAddress address = proxy != null ? proxy : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new java.net.UnknownHostException(address.getHostString());
        }
        return new Connection(endpoint, address, connectMillis).exchange(request, readMillis, this, false);
    }

    private byte[] request(URI uri, String host, int port, long offset) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String hostField = port == 80 ? host : host + ":" + port;
        // through a proxy, the absolute form (RFC 9112, 3.2.2); java.net.URI admits no CR, LF or space in any part
        String target = proxy != null ? "http://" + hostField + path + query : path + query;
        StringBuilder r = new StringBuilder(160 + target.length());
        r.append("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(hostField)
                .append("\r\nUser-Agent: Metalforge\r\nAccept: */*\r\n");
        if (offset > 0) {
            r.append("Range: bytes=").append(offset).append("-\r\n");
        }
        return r.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private synchronized Connection take(String endpoint) {
        evictExpired();
        for (var it = idle.iterator(); it.hasNext();) {
            Connection c = it.next();
            if (c.endpoint.equals(endpoint)) {
                it.remove();
                return c;
            }
        }
        return null;
    }

    /** A connection whose answer was read to its end, for the next request. */
    private void giveBack(Connection c) {
        synchronized (this) {
            evictExpired();
            if (idle.size() < MAX_IDLE) {
                c.idleSince = System.nanoTime();
                idle.addFirst(c);
                return;
            }
        }
        c.close();
    }

    private void evictExpired() {
        long now = System.nanoTime();
        for (var it = idle.iterator(); it.hasNext();) {
            Connection c = it.next();
            if (now - c.idleSince > IDLE_NANOS) {
                it.remove();
                c.close();
            }
        }
    }

    /** Closes the idle connections; the client stays usable. */
    void closeIdle() {
        Connection[] all;
        synchronized (this) {
            all = idle.toArray(new Connection[0]);
            idle.clear();
        }
        for (Connection c : all) {
            c.close();
        }
    }

    int idleConnections() {
        synchronized (this) {
            return idle.size();
        }
    }

    /** A kept-alive connection failed before any byte of an answer: the server closed it while it was idle. */
    private static final class StaleConnection extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnection(IOException cause) {
            super(cause);
        }
    }

    /** One socket, its output and a buffer its input is read through. */
    private static final class Connection {
        final String endpoint;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[MAX_LINE];
        int pos;
        int lim;
        long idleSince;

        Connection(String endpoint, InetSocketAddress address, int connectMillis) throws IOException {
            this.endpoint = endpoint;
            Socket s = new Socket();
            try {
                s.connect(address, connectMillis);
                s.setTcpNoDelay(true);
                s.setKeepAlive(true);
                in = s.getInputStream();
                out = s.getOutputStream();
            } catch (IOException e) {
                s.close();
                throw e;
            }
            this.socket = s;
        }

        /**
         * Sends a request and reads the answer's head. On a {@code reused} connection, a failure before any byte of
         * the answer (its end, a reset, a broken pipe; not a read timeout) is a {@link StaleConnection}.
         */
        Answer exchange(byte[] request, int readMillis, PlainHttpClient owner, boolean reused) throws IOException {
            boolean answered = false;
            try {
                socket.setSoTimeout(readMillis);
                out.write(request);
                out.flush();
                if (fill() < 0) {
                    throw new EOFException("The server closed the connection without an answer");
                }
                answered = true;
                return head(owner);
            } catch (IOException | RuntimeException e) {
                close();
                if (reused && !answered && e instanceof IOException io
                        && !(e instanceof java.net.SocketTimeoutException)) {
                    throw new StaleConnection(io);
                }
                throw e;
            }
        }

        /** Reads the status line and header fields, skipping interim (1xx) answers. */
        private Answer head(PlainHttpClient owner) throws IOException {
            while (true) {
                String statusLine = line();
                if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                    throw new IOException("Not an HTTP/1.x answer: " + printable(statusLine));
                }
                int status = parseStatus(statusLine);
                boolean http11 = statusLine.charAt(7) != '0';
                Map<String, String> headers = new HashMap<>();
                String last = null;
                for (int n = 0;; n++) {
                    String h = line();
                    if (h.isEmpty()) {
                        break;
                    }
                    if (n >= MAX_HEADERS) {
                        throw new IOException("HTTP answer with more than " + MAX_HEADERS + " header fields");
                    }
                    char first = h.charAt(0);
                    if ((first == ' ' || first == '\t') && last != null) {
                        headers.put(last, headers.get(last) + " " + h.strip()); // obsolete line folding
                        continue;
                    }
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("Malformed HTTP header field: " + printable(h));
                    }
                    last = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).strip();
                    if (last.equals("content-length") && headers.containsKey(last)
                            && !headers.get(last).equals(value)) {
                        throw new IOException("HTTP answer with two different Content-Length fields");
                    }
                    headers.putIfAbsent(last, value);
                }
                if (status >= 100 && status < 200) {
                    if (status == 101) {
                        throw new IOException("Unexpected HTTP answer 101 to a GET");
                    }
                    continue; // 100 Continue, 103 Early Hints: the answer follows
                }
                return new Answer(status, headers, body(status, headers, http11, owner));
            }
        }

        private Body body(int status, Map<String, String> headers, boolean http11, PlainHttpClient owner)
                throws IOException {
            boolean keep = http11 && !hasToken(headers.get("connection"), "close");
            if (status == 204 || status == 304) {
                return new Body(this, owner, 0, false, keep);
            }
            String te = headers.get("transfer-encoding");
            if (te != null) {
                // chunked must be the last coding (RFC 9112, 6.3); anything else runs until the connection closes
                boolean chunked = te.toLowerCase(Locale.ROOT).strip().endsWith("chunked");
                return new Body(this, owner, -1, chunked, keep && chunked);
            }
            String length = headers.get("content-length");
            if (length == null) {
                return new Body(this, owner, -1, false, false);
            }
            long n;
            try {
                n = Long.parseLong(length);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IOException("Malformed Content-Length: " + printable(length));
            }
            return new Body(this, owner, n, false, keep);
        }

        /** Reads into the buffer when it is empty; the bytes buffered, or -1 at the end of the stream. */
        int fill() throws IOException {
            if (pos < lim) {
                return lim - pos;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return -1;
            }
            pos = 0;
            lim = n;
            return n;
        }

        /** One line of the head or of a chunked body, without its CRLF (or bare LF). */
        String line() throws IOException {
            StringBuilder sb = null;
            while (true) {
                if (fill() < 0) {
                    throw new EOFException("The connection closed in the middle of an HTTP answer's head");
                }
                int start = pos;
                int i = start;
                while (i < lim && buf[i] != '\n') {
                    i++;
                }
                int taken = (sb == null ? 0 : sb.length()) + (i - start);
                if (taken > MAX_LINE) {
                    throw new IOException("HTTP answer with a line longer than " + MAX_LINE + " bytes");
                }
                if (i < lim) {
                    pos = i + 1;
                    int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                    if (sb == null) {
                        return part;
                    }
                    sb.append(part);
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, start, i - start, StandardCharsets.ISO_8859_1));
                pos = lim;
            }
        }

        /** Reads body bytes: first what the buffer holds, then straight from the socket. */
        int read(byte[] b, int off, int len) throws IOException {
            if (pos < lim) {
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            return in.read(b, off, len);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    /**
     * A body: Content-Length bytes, chunks, or everything until the connection closes. Read to its end and closed,
     * its connection goes back to the client for the next request; closed before (by the reader, or by another
     * thread while a read blocks, which ends that read at once), the connection is closed.
     */
    private static final class Body extends InputStream {
        private final Connection connection;
        private final PlainHttpClient owner;
        final long length;
        private final boolean chunked;
        private final boolean reusable;
        /** Bytes left of the Content-Length or of the current chunk; -1 for a body until the connection closes. */
        private long left;
        /** A chunk was started: the next one starts after its CRLF. */
        private boolean chunkSeen;
        private boolean ended;
        private final AtomicBoolean released = new AtomicBoolean();

        Body(Connection connection, PlainHttpClient owner, long length, boolean chunked, boolean reusable) {
            this.connection = connection;
            this.owner = owner;
            this.length = length;
            this.chunked = chunked;
            this.reusable = reusable;
            this.left = chunked ? 0 : length;
            this.ended = length == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (released.get()) {
                throw new IOException("download stopped");
            }
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (chunked && left == 0 && !nextChunk()) {
                return -1;
            }
            int n = connection.read(b, off, left >= 0 ? (int) Math.min(len, left) : len);
            if (n < 0) {
                if (length < 0 && !chunked) {
                    ended = true; // a body delimited by the connection's end
                    return -1;
                }
                throw new EOFException("The connection closed " + (chunked ? "in the middle of a chunked body"
                        : "after " + (length - left) + " of " + length + " bytes"));
            }
            if (left > 0) {
                left -= n;
                if (left == 0 && !chunked) {
                    ended = true;
                }
            }
            return n;
        }

        /** Starts the next chunk; false after the last one and its trailer fields. */
        private boolean nextChunk() throws IOException {
            if (chunkSeen && !connection.line().isEmpty()) { // the CRLF after a chunk's data
                throw new IOException("Malformed chunked body: no line end after a chunk");
            }
            chunkSeen = true;
            String sizeLine = connection.line();
            int semi = sizeLine.indexOf(';'); // chunk extensions are ignored
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new IOException("Malformed chunk size: " + printable(sizeLine));
            }
            if (size == 0) {
                for (int n = 0; !connection.line().isEmpty(); n++) { // trailer fields, ignored
                    if (n >= MAX_HEADERS) {
                        throw new IOException("HTTP answer with more than " + MAX_HEADERS + " trailer fields");
                    }
                }
                ended = true;
                return false;
            }
            left = size;
            return true;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                if (ended && reusable) {
                    owner.giveBack(connection);
                } else {
                    connection.close();
                }
            }
        }

        void drop() {
            if (released.compareAndSet(false, true)) {
                connection.close();
            }
        }
    }

    private static int parseStatus(String statusLine) throws IOException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new IOException("Not an HTTP/1.x answer: " + printable(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        if (statusLine.length() > 12 && statusLine.charAt(12) != ' ') {
            throw new IOException("Not an HTTP/1.x answer: " + printable(statusLine));
        }
        return status;
    }

    private static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        for (String t : list.split(",")) {
            if (t.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** A server's text in an error message: at most 120 characters, control characters shown as '?'. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 120; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return (s.length() > 120 ? b.append('…') : b).toString();
    }
}
