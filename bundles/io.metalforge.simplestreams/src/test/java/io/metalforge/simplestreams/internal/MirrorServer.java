package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback serving a mirror directory with Range support, and faults injected per path.
 */
final class MirrorServer implements AutoCloseable {

    /** What to do to requests of one path. */
    sealed interface Fault {
    }

    /** Answer with this status. */
    record Status(int status) implements Fault {
    }

    /** Send the full Content-Length but close the connection after {@code bytes}; {@code times} times. */
    record DropAfter(long bytes, AtomicInteger times) implements Fault {
    }

    /** Announce and send only {@code bytes} bytes (a short file). */
    record Truncate(long bytes) implements Fault {
    }

    /** Flip one byte of the body. */
    record Corrupt() implements Fault {
    }

    /** Send at most {@code bytesPerSecond}. */
    record Slow(long bytesPerSecond) implements Fault {
    }

    private final HttpServer server;
    private final Path root;
    final Map<String, Fault> faults = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();

    MirrorServer(Path root) throws IOException {
        this(root, 0);
    }

    MirrorServer(Path root, int port) throws IOException {
        this.root = root;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mirror-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String rel = URLDecoder.decode(x.getRequestURI().getRawPath().substring(1), StandardCharsets.UTF_8);
            requests.add(rel);
            String range = x.getRequestHeaders().getFirst("Range");
            if (range != null) {
                ranges.add(rel + " " + range);
            }
            Fault fault = faults.get(rel);
            if (fault instanceof Status s) {
                x.sendResponseHeaders(s.status(), -1);
                return;
            }
            Path file = root.resolve(rel).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            long start = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                start = Long.parseLong(range.substring(6, range.length() - 1));
                if (start >= size) {
                    x.getResponseHeaders().add("Content-Range", "bytes */" + size);
                    x.sendResponseHeaders(416, -1);
                    return;
                }
                x.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (size - 1) + "/" + size);
            }
            long length = size - start;
            long send = length;
            if (fault instanceof Truncate t) {
                length = Math.min(length, t.bytes());
                send = length;
            }
            if (fault instanceof DropAfter d && d.times().getAndDecrement() > 0) {
                send = Math.min(length, Math.max(0, d.bytes() - start));
            }
            x.sendResponseHeaders(range != null ? 206 : 200, length);
            try (InputStream in = Files.newInputStream(file); OutputStream out = x.getResponseBody()) {
                in.skipNBytes(start);
                byte[] buf = new byte[1 << 16];
                long sent = 0;
                long began = System.nanoTime();
                while (sent < send) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, send - sent));
                    if (n < 0) {
                        break;
                    }
                    if (fault instanceof Corrupt && sent == 0) {
                        buf[0] ^= 0x55;
                    }
                    out.write(buf, 0, n);
                    sent += n;
                    if (fault instanceof Slow s) {
                        out.flush();
                        long due = (long) (sent * 1e9 / s.bytesPerSecond());
                        long ahead = due - (System.nanoTime() - began);
                        if (ahead > 0) {
                            Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                        }
                    }
                }
                if (sent < length) {
                    out.flush();
                    // closing short of Content-Length drops the connection mid-file
                    throw new IOException("dropping connection");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
