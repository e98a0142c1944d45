package io.metalforge.boot.http.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.metalforge.api.boot.BootFiles;

/**
 * A small HTTP/1.1 server for boot traffic, apart from the API's Jetty so each can be bound and limited on its own.
 * Connections live on {@value #LOOPS} event loops ({@link EventLoop}: one selector thread each, non-blocking sockets)
 * from accept to close; image requests are answered on the loop, their bodies going from the blob store's file to the
 * socket with non-blocking {@code FileChannel.transferTo} (sendfile: no copy through the heap), so a connection costs
 * no thread. Requests that may block (the API, rendered configs) are handed to a bounded worker pool. A connection
 * beyond {@code maxConnections}, or beyond {@code maxPerClient} from one address, gets 503. Memory is bounded by
 * connections × (16 KiB request head + 33 KiB first write: the response head and the body's first 32 KiB) plus
 * 64 KiB per body copied from a non-file channel, and descriptors by connections × 2 (the socket and the image blob
 * it last read), whatever the file sizes. Keep-alive and pipelined requests are served in order.
 */
final class HttpBootServer {

    /** Event-loop threads: sendfile from the page cache is cheap enough that two keep a 2-core machine busy. */
    static final int LOOPS = 2;

    /** Most worker threads (the platform executor's limit per pool); more connections' requests wait in its queue. */
    static final int MAX_WORKERS = 1024;

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
    private final ThreadPools threads;
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final RequestRecorder recorder;
    private ServerSocketChannel server;
    private ExecutorService workers;
    private ExecutorService loopThreads;
    private ExecutorService logThread;
    private EventLoop[] loops;
    private int nextLoop;

    HttpBootServer(BootFiles files, ApiForwarder forwarder, String bindAddress, int port, int maxConnections,
            int maxPerClient, int idleSeconds, ThreadPools threads, BiConsumer<String, Throwable> errors) {
        this.files = files;
        this.forwarder = forwarder;
        this.bindAddress = bindAddress;
        this.requestedPort = port;
        this.maxConnections = Math.max(1, maxConnections);
        this.maxPerClient = Math.max(1, maxPerClient);
        this.idleMillis = Math.max(1, idleSeconds) * 1000;
        this.errors = errors;
        this.threads = threads;
        this.recorder = new RequestRecorder(files, errors);
    }

    synchronized void start() throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(bindAddress, requestedPort), 1024);
        server.configureBlocking(false);
        // one worker per connection at most: a connection hands at most one request at a time to a worker
        workers = threads.pool("worker", Math.min(MAX_WORKERS, maxConnections));
        logThread = threads.pool("log", 1);
        recorder.start(logThread);
        loops = new EventLoop[LOOPS];
        for (int i = 0; i < LOOPS; i++) {
            loops[i] = new EventLoop(this, idleMillis);
        }
        loops[0].acceptFrom(server);
        loopThreads = threads.pool("loop", LOOPS);
        for (EventLoop loop : loops) {
            loopThreads.execute(loop);
        }
    }

    int port() {
        return server.socket().getLocalPort();
    }

    synchronized void stop() {
        if (server != null) {
            closeQuietly(server);
        }
        if (loops != null) {
            for (EventLoop loop : loops) {
                loop.stop();
            }
            // the port is released only once the accepting loop has closed its selector: wait for the loops, so a
            // reconfigured server can bind the same port at once
            loopThreads.shutdown();
            awaitQuietly(loopThreads);
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        recorder.stop();
        if (logThread != null) {
            logThread.shutdownNow();
            awaitQuietly(logThread);
        }
    }

    static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts what is pending (on the accepting loop's thread) and spreads the connections over the loops. */
    void accept(EventLoop from, ServerSocketChannel channel) {
        while (true) {
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                errors.accept("boot HTTP server: accept failed: " + e.getMessage(), null);
                return;
            }
            if (ch == null) {
                return;
            }
            InetAddress client = ((InetSocketAddress) ch.socket().getRemoteSocketAddress()).getAddress();
            AtomicInteger count = perClient.computeIfAbsent(client, k -> new AtomicInteger());
            int total = open.incrementAndGet();
            if (count.incrementAndGet() > maxPerClient) {
                refuse(ch, client, "too many connections from this client");
                continue;
            }
            if (total > maxConnections) {
                refuse(ch, client, "too many connections");
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                String local = ((InetSocketAddress) ch.socket().getLocalSocketAddress()).getAddress()
                        .getHostAddress();
                BootConnection c = new BootConnection(ch, client,
                        new BootHttpExchange(files, recorder, ch, client.getHostAddress(), local));
                EventLoop to = loops[nextLoop++ % loops.length];
                if (to == from) {
                    to.register(c);
                } else {
                    to.post(() -> to.register(c));
                }
            } catch (IOException e) {
                closeQuietly(ch);
                release(client);
            }
        }
    }

    /** Answers 503 on a connection still in blocking mode (a few bytes into an empty socket) and closes it. */
    private void refuse(SocketChannel ch, InetAddress client, String why) {
        try {
            byte[] body = (why + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.write(ByteBuffer.wrap(("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
        } catch (IOException e) {
            // the client is gone already
        } finally {
            closeQuietly(ch);
            release(client);
        }
    }

    /** A connection of {@code client} is closed. */
    void release(InetAddress client) {
        open.decrementAndGet();
        perClient.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    void error(String message, Throwable e) {
        errors.accept(message, e);
    }

    ExecutorService workers() {
        return workers;
    }

    ApiForwarder forwarder() {
        return forwarder;
    }

    int idleMillis() {
        return idleMillis;
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

    /** Closes {@code c} when the outcome no longer matters: the peer or the resource is gone or going anyway. */
    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed, or nothing more to release
        }
    }

    /** Connections from one client address the server still counts (for tests that reuse a freed slot). */
    int connectionsFrom(InetAddress client) {
        AtomicInteger n = perClient.get(client);
        return n == null ? 0 : n.get();
    }
}
