package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request line and headers of one HTTP/1.x request, read with a size limit. Header names are kept as sent (for
 * forwarding) and compared case-insensitively.
 */
final class RequestHead {

    /** Most bytes of a request line and headers together. */
    static final int MAX_BYTES = 16 * 1024;

    final String method;
    final String target;
    final String version;
    final List<String[]> headers;

    private RequestHead(String method, String target, String version, List<String[]> headers) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
    }

    /** Thrown for a request this server refuses with 400 (or 431 when too large). */
    static final class BadRequest extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Reads the request head in {@code a[from, to)}, which ends with the blank line that closes it (as
     * {@link EventLoop#headEnd} finds it): lines end with LF, a CR before it is dropped, and blank lines before the
     * request line are skipped (between keep-alive requests). Each line is decoded once, straight from the bytes.
     */
    static RequestHead read(byte[] a, int from, int to) throws BadRequest {
        if (to - from > MAX_BYTES) {
            throw new BadRequest(431, "request head larger than " + MAX_BYTES + " bytes");
        }
        List<String> lines = new ArrayList<>(8);
        int start = from;
        for (int i = from; i < to; i++) {
            if (a[i] != '\n') {
                continue;
            }
            int end = i > start && a[i - 1] == '\r' ? i - 1 : i;
            int lineStart = start;
            start = i + 1;
            if (end == lineStart) {
                if (lines.isEmpty()) {
                    continue; // tolerate blank lines between keep-alive requests
                }
                return parse(lines);
            }
            lines.add(new String(a, lineStart, end - lineStart, StandardCharsets.ISO_8859_1));
        }
        throw new BadRequest(400, "connection closed inside the request head");
    }

    private static RequestHead parse(List<String> lines) throws BadRequest {
        String[] start = lines.get(0).split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "not an HTTP/1.x request line");
        }
        List<String[]> headers = new ArrayList<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line");
            }
            headers.add(new String[] { h.substring(0, colon).trim(), h.substring(colon + 1).trim() });
        }
        return new RequestHead(start[0], start[1], start[2], headers);
    }

    /** The first value of a header, or null. */
    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** Whether the client wants the connection kept open after the response. */
    boolean keepAlive() {
        String c = header("Connection");
        String lower = c == null ? "" : c.toLowerCase(Locale.ROOT);
        if (version.equals("HTTP/1.0")) {
            return lower.contains("keep-alive");
        }
        return !lower.contains("close");
    }

    /** The path of the target, before any '?'. */
    String rawPath() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}
