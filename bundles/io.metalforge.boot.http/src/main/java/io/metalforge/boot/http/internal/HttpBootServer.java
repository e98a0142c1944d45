package io.metalforge.boot.http.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.metalforge.api.boot.BootFiles;

/**
 * A small HTTP/1.1 server for boot traffic, apart from the API's Jetty so each can be bound and limited on its own.
 * One thread per connection from a bounded pool (a connection beyond {@code maxConnections} gets 503), reading with
 * plain blocking reads while a reaper closes connections idle past the timeout (waiting for a request, or for the
 * client to take a body's bytes); file bodies go
 * from the blob store's file to the socket with {@code FileChannel.transferTo} (sendfile: no copy through the heap)
 * after a first write of the response head with the body's first bytes, other bodies through one 64 KiB buffer.
 * Memory is bounded by connections × (16 KiB request head + 16 KiB first write + 64 KiB buffer) and descriptors by
 * connections × 2 (the socket and the image blob it last read), whatever the file sizes. Keep-alive and pipelined
 * requests are served in order.
 */
final class HttpBootServer {

    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** The Date header of the current second, formatted once per second rather than once per request. */
    private static volatile CachedDate now = new CachedDate(0, "");

    private record CachedDate(long second, String text) {
    }

    private final BootFiles files;
    private final ApiForwarder forwarder;
    private final String bindAddress;
    private final int requestedPort;
    private final int maxConnections;
    private final int maxPerClient;
    private final int idleMillis;
    private final BiConsumer<String, Throwable> errors;
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    /** Open connections and the reads they wait in (null until the serving thread has begun). */
    private final Map<SocketChannel, Optional<WatchedInput>> open = new ConcurrentHashMap<>();
    private final RequestRecorder recorder;
    private ServerSocketChannel server;
    private ThreadPoolExecutor workers;
    private Thread acceptor;
    private Thread reaper;

    HttpBootServer(BootFiles files, ApiForwarder forwarder, String bindAddress, int port, int maxConnections,
            int maxPerClient, int idleSeconds, BiConsumer<String, Throwable> errors) {
        this.files = files;
        this.forwarder = forwarder;
        this.bindAddress = bindAddress;
        this.requestedPort = port;
        this.maxConnections = Math.max(1, maxConnections);
        this.maxPerClient = Math.max(1, maxPerClient);
        this.idleMillis = Math.max(1, idleSeconds) * 1000;
        this.errors = errors;
        this.recorder = new RequestRecorder(files, errors);
    }

    synchronized void start() throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(bindAddress, requestedPort), 1024);
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "boot-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        recorder.start("boot-http-log-" + port());
        acceptor = new Thread(this::acceptLoop, "boot-http-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
        reaper = new Thread(this::reapIdle, "boot-http-idle-" + port());
        reaper.setDaemon(true);
        reaper.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        open.keySet().forEach(HttpBootServer::closeQuietly);
        if (workers != null) {
            workers.shutdownNow();
        }
        // the port is released only once the accepting thread has left accept(): wait for it, so a reconfigured
        // server can bind the same port at once
        joinQuietly(acceptor);
        if (reaper != null) {
            reaper.interrupt();
            joinQuietly(reaper);
        }
        recorder.stop();
    }

    static void joinQuietly(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                errors.accept("boot HTTP server: accept failed: " + e.getMessage(), null);
                continue;
            }
            InetAddress client = ((InetSocketAddress) ch.socket().getRemoteSocketAddress()).getAddress();
            AtomicInteger count = perClient.computeIfAbsent(client, k -> new AtomicInteger());
            if (count.incrementAndGet() > maxPerClient) {
                refuse(ch, client, "too many connections from this client");
                continue;
            }
            try {
                open.put(ch, Optional.empty());
                workers.execute(() -> serve(ch, client));
            } catch (RejectedExecutionException e) {
                refuse(ch, client, "too many connections");
            }
        }
    }

    private void refuse(SocketChannel ch, InetAddress client, String why) {
        try {
            byte[] body = (why + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.write(ByteBuffer.wrap(("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
        } catch (IOException e) {
            // the client is gone already
        } finally {
            release(ch, client);
        }
    }

    private void release(SocketChannel ch, InetAddress client) {
        open.remove(ch);
        closeQuietly(ch);
        perClient.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    private void serve(SocketChannel ch, InetAddress client) {
        BootHttpExchange exchange = null;
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            WatchedInput watched = new WatchedInput(ch);
            open.replace(ch, Optional.of(watched));
            InputStream in = new BufferedInputStream(watched, 8192);
            String local = ((InetSocketAddress) ch.socket().getLocalSocketAddress()).getAddress().getHostAddress();
            exchange = new BootHttpExchange(files, forwarder, recorder, ch, in, watched, client.getHostAddress(),
                    local);
            while (exchange.next()) {
                // one request per round, until the client or the server ends the connection
            }
        } catch (SocketTimeoutException | AsynchronousCloseException e) {
            // idle or stopping
        } catch (IOException e) {
            // the client went away mid-answer: nothing to tell it
        } catch (RuntimeException e) {
            errors.accept("boot HTTP server: request from " + client.getHostAddress() + " failed", e);
        } finally {
            if (exchange != null) {
                exchange.close();
            }
            release(ch, client);
        }
    }

    /**
     * Closes every connection whose read has waited longer than the idle timeout (a client that sends no request,
     * or stalls inside one), checking a few times per timeout; the serving thread then leaves its read.
     */
    private void reapIdle() {
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        long period = Math.max(50, Math.min(1000, idleMillis / 4));
        while (server.isOpen()) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            open.forEach((ch, watched) -> {
                if (watched.isPresent() && watched.get().idleLongerThan(idleNanos, now)) {
                    closeQuietly(ch);
                }
            });
        }
    }

    static String date(Instant t) {
        return HTTP_DATE.format(t);
    }

    /** The Date header's value for now. */
    static String dateNow() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate d = now;
        if (d.second() != second) {
            d = new CachedDate(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
            now = d;
        }
        return d.text();
    }

    static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already closed
        }
    }

    static OutputStream output(SocketChannel ch) {
        return Channels.newOutputStream(ch);
    }

    /** Connections from one client address the server still counts (for tests that reuse a freed slot). */
    int connectionsFrom(InetAddress client) {
        AtomicInteger n = perClient.get(client);
        return n == null ? 0 : n.get();
    }
}
