package io.metalforge.simplestreams.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens stream URLs: http(s) through {@link HttpClient} (optionally through a proxy, following redirects such as the
 * daily → stable one), and file URLs from disk. Ranged opens resume partial downloads.
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

    private final HttpClient client;
    private final Duration readTimeout;

    HttpFetcher(String proxy, Duration connectTimeout, Duration readTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
        if (proxy != null && !proxy.isBlank()) {
            URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
            b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() < 0 ? 3128 : p.getPort())));
        }
        this.client = b.build();
        this.readTimeout = readTimeout;
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
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout).GET();
        if (offset > 0) {
            rb.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> r;
        try {
            r = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Request to '" + uri + "' interrupted");
        }
        int status = r.statusCode();
        if (status == 206) {
            long total = r.headers().firstValue("Content-Range").map(HttpFetcher::totalOf).orElse(-1L);
            long start = r.headers().firstValue("Content-Range").map(HttpFetcher::startOf).orElse(-1L);
            if (start != offset) {
                r.body().close();
                throw new IOException("Request to '" + uri + "' failed: server answered range " + start
                        + " for " + offset);
            }
            return new Opened(r.body(), offset, total);
        }
        if (status == 200) {
            return new Opened(r.body(), 0, r.headers().firstValueAsLong("Content-Length").orElse(-1));
        }
        if (status == 416 && offset > 0) {
            r.body().close();
            // The partial file is as long as (or longer than) the remote file; the caller starts over.
            return new Opened(InputStream.nullInputStream(), -1, -1);
        }
        r.body().close();
        throw new HttpStatusException(uri, status);
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
