package io.metalforge.simplestreams.internal;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens stream URLs: http through {@link PlainHttpClient} and https through the JDK's blocking
 * {@link HttpURLConnection} (both optionally through a proxy), following redirects such as the daily → stable one,
 * never from https to http; file URLs from disk. Ranged opens resume partial downloads.
 * <p>
 * Blocking on purpose: the body is read by the download thread straight into its own reused buffer, with no
 * selector thread in between copying every byte into a fresh heap array (what {@code java.net.http} does), and
 * idle connections are kept alive for the next file (by {@link PlainHttpClient}'s pool, shared by every copy made
 * with {@link #stallingAfter}, and by the JDK's keep-alive cache for https).
 */
final class HttpFetcher implements ItemOpener {

    /** An HTTP answer that is not success. 4xx are permanent; 5xx and I/O failures may be retried. */
    static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpStatusException(URI uri, int status) {
            super("Request to '" + uri + "' failed: " + status + " " + reason(status));
            this.status = status;
        }

        boolean permanent() {
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }
    }

    /** An opened body: the stream, where it starts, and the full length when known (-1 otherwise). */
    record Opened(InputStream body, long offset, long totalLength) {
    }

    static final int MAX_METADATA = 64 << 20;
    private static final int MAX_REDIRECTS = 5;

    private final Proxy proxy;
    private final PlainHttpClient plain;
    private final int connectMillis;
    private final int readMillis;

    HttpFetcher(String proxy, Duration connectTimeout, Duration readTimeout) {
        this(proxyOf(proxy), millis(connectTimeout), millis(readTimeout));
    }

    private HttpFetcher(Proxy proxy, int connectMillis, int readMillis) {
        this(proxy, new PlainHttpClient(proxy == Proxy.NO_PROXY ? null : (InetSocketAddress) proxy.address()),
                connectMillis, readMillis);
    }

    private HttpFetcher(Proxy proxy, PlainHttpClient plain, int connectMillis, int readMillis) {
        this.proxy = proxy;
        this.plain = plain;
        this.connectMillis = connectMillis;
        this.readMillis = readMillis;
    }

    /**
     * The same client, whose reads give up after {@code stall} without a byte: what the downloader uses, so that a
     * stalled body ends in the reading thread itself (a blocked read cannot be closed from another thread without
     * waiting for it).
     */
    HttpFetcher stallingAfter(Duration stall) {
        return new HttpFetcher(proxy, plain, connectMillis, millis(stall));
    }

    /** Closes the kept-alive http connections (an import's end); later requests open new ones. */
    void closeIdle() {
        plain.closeIdle();
    }

    /** The http connections kept alive now. */
    int idleConnections() {
        return plain.idleConnections();
    }

    private static Proxy proxyOf(String proxy) {
        if (proxy == null || proxy.isBlank()) {
            return Proxy.NO_PROXY;
        }
        URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
        return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(p.getHost(), p.getPort() < 0 ? 3128 : p.getPort()));
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Reads a metadata file (index, product list, signature) fully; at most 64 MiB. */
    byte[] fetchSmall(URI uri) throws IOException {
        try (InputStream in = open(uri, 0).body()) {
            byte[] data = in.readNBytes(MAX_METADATA + 1);
            if (data.length > MAX_METADATA) {
                throw new IOException("Request to '" + uri + "' failed: larger than 64 MiB");
            }
            return data;
        }
    }

    /** Opens {@code uri} from byte {@code offset}; the returned offset is 0 when the server ignored the range. */
    @Override
    public Opened open(URI uri, long offset) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            Path path = Path.of(uri);
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new FileNotFoundException("Request to '" + uri + "' failed: 404 Not Found");
            }
            long size = ch.size();
            ch.position(Math.min(offset, size));
            return new Opened(Channels.newInputStream(ch), Math.min(offset, size), size);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("Unsupported URL scheme: " + uri);
        }
        URI target = uri;
        for (int redirects = 0;; redirects++) {
            // https, and http redirected to https, through the JDK (an https URL is never redirected to http, below)
            Answer a = "http".equalsIgnoreCase(target.getScheme())
                    ? plain.get(target, offset, connectMillis, readMillis) : jdk(target, offset);
            int status = a.status();
            if (status >= 300 && status < 400 && status != 304 && a.header("Location") != null) {
                URI next = target.resolve(a.header("Location"));
                a.discard();
                boolean downgrade = "https".equalsIgnoreCase(target.getScheme())
                        && !"https".equalsIgnoreCase(next.getScheme());
                String nextScheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (redirects >= MAX_REDIRECTS || downgrade
                        || !nextScheme.equals("http") && !nextScheme.equals("https")) {
                    throw new HttpStatusException(uri, status);
                }
                target = next;
                continue;
            }
            return opened(uri, a, offset);
        }
    }

    /** An answer's head and body, from either client ({@link PlainHttpClient.Answer} for http). */
    interface Answer {
        int status();

        String header(String name);

        long contentLength();

        InputStream body() throws IOException;

        /** Drops an answer that is not read: its connection is closed rather than drained. */
        void discard();
    }

    private Answer jdk(URI target, long offset) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection(proxy);
        c.setInstanceFollowRedirects(false); // followed by open, with java.net.http's NORMAL rule
        c.setConnectTimeout(connectMillis);
        c.setReadTimeout(readMillis);
        c.setUseCaches(false);
        if (offset > 0) {
            c.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
        return new Answer() {
            public int status() {
                return status;
            }

            public String header(String name) {
                return c.getHeaderField(name);
            }

            public long contentLength() {
                return c.getContentLengthLong();
            }

            public InputStream body() throws IOException {
                return new Body(c);
            }

            public void discard() {
                c.disconnect();
            }
        };
    }

    private static Opened opened(URI uri, Answer a, long offset) throws IOException {
        int status = a.status();
        if (status == 206) {
            String range = a.header("Content-Range");
            long total = range == null ? -1 : totalOf(range);
            long start = range == null ? -1 : startOf(range);
            if (start != offset) {
                a.discard();
                throw new IOException("Request to '" + uri + "' failed: server answered range " + start
                        + " for " + offset);
            }
            return new Opened(a.body(), offset, total);
        }
        if (status == 200) {
            return new Opened(a.body(), 0, a.contentLength());
        }
        a.discard();
        if (status == 416 && offset > 0) {
            // The partial file is as long as (or longer than) the remote file; the caller starts over.
            return new Opened(InputStream.nullInputStream(), -1, -1);
        }
        throw new HttpStatusException(uri, status);
    }

    /**
     * A response body of the JDK's client. Read to its end, closing returns the connection to the keep-alive cache
     * for the next file; closed before, it drops the connection. Closed by another thread while a read blocks (the
     * downloader's watchdog on cancel), it only marks the body: the JDK's stream would make the closing thread wait
     * for that read, so the reader ends it at its next byte or its read timeout.
     */
    private static final class Body extends FilterInputStream {
        private final HttpURLConnection connection;
        private volatile boolean ended;
        private volatile boolean closed;
        private volatile Thread reader;

        Body(HttpURLConnection connection) throws IOException {
            super(connection.getInputStream());
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("download stopped");
            }
            reader = Thread.currentThread();
            int n;
            try {
                n = super.read(b, off, len);
            } finally {
                reader = null;
            }
            if (closed) {
                connection.disconnect();
                throw new IOException("download stopped");
            }
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (ended) {
                super.close();
            } else if (reader == null) {
                connection.disconnect();
            }
        }
    }

    private static long totalOf(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long startOf(String contentRange) {
        // "bytes 100-199/200"
        try {
            String s = contentRange.trim();
            int sp = s.indexOf(' ');
            int dash = s.indexOf('-');
            return Long.parseLong(s.substring(sp + 1, dash).trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 416 -> "Range Not Satisfiable";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
