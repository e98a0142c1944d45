package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread serving its connections from accept to close with non-blocking sockets: it reads and parses
 * request heads, answers image requests itself (the head, then the file range with non-blocking sendfile, continued
 * when the socket takes more), and serves requests already buffered in order (keep-alive, pipelining). Requests that
 * may block (forwarding to the API, configs rendered by boot methods, bodies from a channel that is not a local file)
 * go to a worker; the connection keeps its registration with no interest meanwhile and comes back when the worker is
 * done. Connections that make no progress for the idle timeout (no request, a stalled head, a client that takes no
 * body bytes) are closed.
 */
final class EventLoop implements Runnable {

    private final HttpBootServer server;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<BootConnection> connections = new HashSet<>();
    private final long idleNanos;
    private final long periodMillis;
    private volatile boolean stopping;

    EventLoop(HttpBootServer server, long idleMillis) throws IOException {
        this.server = server;
        this.selector = Selector.open();
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.periodMillis = Math.max(50, Math.min(1000, idleMillis / 4));
    }

    /** Accepts connections of {@code channel} on this loop (called before the loop runs). */
    void acceptFrom(ServerSocketChannel channel) throws IOException {
        channel.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Runs {@code task} on the loop's thread. */
    void post(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        long lastReap = System.nanoTime();
        try {
            while (!stopping && !Thread.currentThread().isInterrupted()) {
                selector.select(periodMillis);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long now = System.nanoTime();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey k = keys.next();
                    keys.remove();
                    if (k.attachment() == null) {
                        server.accept(this, (ServerSocketChannel) k.channel());
                    } else {
                        ready(k, (BootConnection) k.attachment(), now);
                    }
                }
                if (now - lastReap >= TimeUnit.MILLISECONDS.toNanos(periodMillis)) {
                    reap(now);
                    lastReap = now;
                }
            }
        } catch (IOException e) {
            server.error("boot HTTP server: event loop failed: " + e.getMessage(), null);
        } finally {
            new ArrayList<>(connections).forEach(this::close);
            HttpBootServer.closeQuietly(selector);
        }
    }

    /** Takes a new connection (on the loop's thread). */
    void register(BootConnection c) {
        try {
            c.key = c.ch.register(selector, SelectionKey.OP_READ, c);
            c.interest = SelectionKey.OP_READ;
            c.lastActive = System.nanoTime();
            connections.add(c);
        } catch (IOException e) {
            c.key = null;
            close(c);
        }
    }

    private void ready(SelectionKey k, BootConnection c, long now) {
        if (!k.isValid() || c.closed) {
            return;
        }
        c.lastActive = now;
        try {
            if (c.state == BootConnection.State.WRITING && k.isWritable()) {
                if (c.exchange.writeSome() && finished(c)) {
                    serveBuffered(c);
                }
            } else if (c.state == BootConnection.State.READING && k.isReadable()) {
                int n = c.ch.read(c.in);
                if (n < 0) {
                    endOfStream(c);
                } else {
                    serveBuffered(c);
                }
            }
        } catch (IOException e) {
            close(c); // the client went away mid-answer: nothing to tell it
        } catch (RuntimeException e) {
            failed(c, e);
            close(c);
        }
    }

    /** A bug met while serving {@code c}: logged with the client's address (the caller closes or resumes). */
    private void failed(BootConnection c, RuntimeException e) {
        server.error("boot HTTP server: request from " + c.client.getHostAddress() + " failed", e);
    }

    /** The client closed its side: a request cut inside its head is answered 400, then the connection closes. */
    private void endOfStream(BootConnection c) throws IOException {
        if (c.in.position() == 0) {
            close(c);
            return;
        }
        c.in.clear();
        c.exchange.refuse(new RequestHead.BadRequest(400, "connection closed inside the request head"));
        startWriting(c);
    }

    /** Answers the complete requests in the buffer in order, until one must wait (or none is left). */
    private void serveBuffered(BootConnection c) throws IOException {
        while (!c.closed && c.state == BootConnection.State.READING) {
            ByteBuffer b = c.in;
            b.flip();
            int end = headEnd(b.array(), b.position(), b.limit());
            if (end < 0) {
                boolean full = b.remaining() >= b.capacity();
                b.compact();
                if (full) {
                    b.clear();
                    c.exchange.refuse(new RequestHead.BadRequest(431,
                            "request head larger than " + RequestHead.MAX_BYTES + " bytes"));
                    if (!startWriting(c)) {
                        return;
                    }
                    continue;
                }
                c.interest(SelectionKey.OP_READ);
                return;
            }
            RequestHead head;
            try {
                head = RequestHead.read(b.array(), b.position(), end);
            } catch (RequestHead.BadRequest e) {
                b.clear();
                c.exchange.refuse(e);
                startWriting(c);
                return;
            }
            b.position(end);
            b.compact();
            if (!dispatch(c, head)) {
                return;
            }
        }
    }

    /** Starts answering {@code head}; true when the answer is complete and the connection reads on. */
    private boolean dispatch(BootConnection c, RequestHead head) throws IOException {
        String raw = head.rawPath();
        if (raw.equals("/MAAS") || raw.startsWith("/MAAS/")) {
            toWorker(c, () -> forward(c, head));
            return false;
        }
        if (!raw.startsWith("/images/")) {
            toWorker(c, () -> {
                c.exchange.prepare(head);
                return writeBlocking(c);
            });
            return false;
        }
        c.exchange.prepare(head); // a lookup and a stat: done here
        if (c.exchange.blockingBody()) {
            toWorker(c, () -> writeBlocking(c));
            return false;
        }
        return startWriting(c);
    }

    /** Writes what the socket takes now; true when the answer is complete and the connection reads on. */
    private boolean startWriting(BootConnection c) throws IOException {
        if (c.exchange.writeSome()) {
            return finished(c);
        }
        c.state = BootConnection.State.WRITING;
        c.interest(SelectionKey.OP_WRITE);
        return false;
    }

    /** An answer is sent: the connection closes or reads on. */
    private boolean finished(BootConnection c) {
        if (!c.exchange.keepAlive()) {
            close(c);
            return false;
        }
        c.state = BootConnection.State.READING;
        return true;
    }

    /** A part of a request that may block, run by a worker; returns whether the connection stays open. */
    private interface Blocking {
        boolean run() throws IOException;
    }

    private void toWorker(BootConnection c, Blocking work) {
        c.state = BootConnection.State.WORKER;
        c.interest(0);
        try {
            server.workers().execute(() -> {
                boolean keep = false;
                try {
                    keep = work.run();
                } catch (IOException e) {
                    // the client went away, or did nothing for the idle timeout
                } catch (RuntimeException e) {
                    failed(c, e);
                }
                boolean keepOpen = keep;
                post(() -> resume(c, keepOpen));
            });
        } catch (RejectedExecutionException e) {
            close(c); // stopping
        }
    }

    /** Back from a worker (on the loop's thread). */
    private void resume(BootConnection c, boolean keepOpen) {
        if (c.closed) {
            return;
        }
        if (!keepOpen) {
            close(c);
            return;
        }
        c.state = BootConnection.State.READING;
        c.lastActive = System.nanoTime();
        try {
            serveBuffered(c);
        } catch (IOException e) {
            close(c);
        } catch (RuntimeException e) {
            failed(c, e);
            close(c);
        }
    }

    /** Sends the prepared answer from a worker, waiting while the client's socket is full. */
    private boolean writeBlocking(BootConnection c) throws IOException {
        try (BlockingChannelIo io = new BlockingChannelIo(c.ch, server.idleMillis())) {
            sendPrepared(c, io);
        }
        return c.exchange.keepAlive();
    }

    /** Sends the prepared answer on {@code io}, waiting while the client's socket is full. */
    private static void sendPrepared(BootConnection c, BlockingChannelIo io) throws IOException {
        while (!c.exchange.writeSome()) {
            io.await(SelectionKey.OP_WRITE);
        }
    }

    /** Forwards a /MAAS/ request (from a worker); the connection closes after it, as the API's answer ends it. */
    private boolean forward(BootConnection c, RequestHead head) throws IOException {
        String raw = head.rawPath();
        try (BlockingChannelIo io = new BlockingChannelIo(c.ch, server.idleMillis())) {
            ByteBuffer buffered = c.in.duplicate().flip();
            try {
                ApiForwarder.Relayed r = server.forwarder().forward(head, io.input(buffered), io.output(),
                        c.client.getHostAddress());
                c.exchange.log(raw, r.status(), r.bytes());
                return false;
            } catch (RequestHead.BadRequest e) {
                c.exchange.refuse(e);
            } catch (ConnectException e) {
                c.exchange.answer(502, "the MAAS API is not reachable from the boot server", head, null);
            }
            sendPrepared(c, io);
        }
        return false;
    }

    /** Closes the connections that made no progress for the idle timeout (workers time out on their own). */
    private void reap(long now) {
        for (BootConnection c : new ArrayList<>(connections)) {
            if (c.state != BootConnection.State.WORKER && now - c.lastActive > idleNanos) {
                close(c);
            }
        }
    }

    void close(BootConnection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        connections.remove(c);
        if (c.key != null) {
            c.key.cancel();
        }
        HttpBootServer.closeQuietly(c.ch);
        c.exchange.close();
        server.release(c.client);
    }

    /**
     * The index after the blank line ending the first request head in {@code a[from, to)}, or -1 when it is not all
     * there; blank lines before a request are skipped as {@link RequestHead#read} does.
     */
    static int headEnd(byte[] a, int from, int to) {
        boolean seenLine = false;
        int lineLength = 0;
        for (int i = from; i < to; i++) {
            byte b = a[i];
            if (b == '\n') {
                if (lineLength == 0) {
                    if (seenLine) {
                        return i + 1;
                    }
                } else {
                    seenLine = true;
                }
                lineLength = 0;
            } else if (b != '\r' || i + 1 >= to || a[i + 1] != '\n') {
                lineLength++;
            }
        }
        return -1;
    }
}
