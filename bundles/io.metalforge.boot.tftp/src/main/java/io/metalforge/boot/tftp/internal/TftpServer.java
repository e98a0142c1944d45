package io.metalforge.boot.tftp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.metalforge.api.boot.BootFiles;

/**
 * Listens for read requests on one UDP port and runs each transfer on a thread of a bounded pool from a port of its
 * own. Requests beyond the limits (in all, per client address) are answered with a TFTP error at once, so a firmware
 * retries later instead of waiting. A request repeated by a client whose transfer is under way (same address, port
 * and request: the client sent it again because the first answer was late) is dropped: a second transfer would send
 * the client a second option acknowledgement, on which curl, for one, restarts its count of blocks and then ignores
 * the first transfer's data.
 */
final class TftpServer {

    private final BootFiles files;
    private final String bindAddress;
    private final int requestedPort;
    private final int maxTransfers;
    private final int maxPerClient;
    private final TftpTransfer.Limits limits;
    private final BiConsumer<String, Throwable> errors;
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    /** The request of each transfer under way, by the client's transfer ID (its address and port). */
    private final Map<InetSocketAddress, TftpPacket.Request> active = new ConcurrentHashMap<>();
    private DatagramSocket socket;
    private ThreadPoolExecutor workers;
    private Thread listener;

    TftpServer(BootFiles files, String bindAddress, int port, int maxTransfers, int maxPerClient,
            TftpTransfer.Limits limits, BiConsumer<String, Throwable> errors) {
        this.files = files;
        this.bindAddress = bindAddress;
        this.requestedPort = port;
        this.maxTransfers = Math.max(1, maxTransfers);
        this.maxPerClient = Math.max(1, maxPerClient);
        this.limits = limits;
        this.errors = errors;
    }

    synchronized void start() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(bindAddress, requestedPort));
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, maxTransfers, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "boot-tftp-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        listener = new Thread(this::listen, "boot-tftp-listen-" + port());
        listener.setDaemon(true);
        listener.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    synchronized void stop() {
        if (socket != null) {
            socket.close();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        // the port is released only once the listening thread has left receive(): wait for it, so a reconfigured
        // server can bind the same port at once
        if (listener != null && listener != Thread.currentThread()) {
            try {
                listener.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen() {
        byte[] buf = new byte[1024];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                errors.accept("boot TFTP server: receive failed: " + e.getMessage(), null);
                continue;
            }
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            TftpPacket.Request request = TftpPacket.request(p.getData(), p.getLength());
            if (request == null) {
                reply(from, TftpPacket.error(TftpPacket.ERR_ILLEGAL, "Expected a read request"));
                continue;
            }
            if (request.equals(active.putIfAbsent(from, request))) {
                continue; // a repetition: the transfer under way answers it
            }
            active.put(from, request);
            if (!admit(from.getAddress())) {
                active.remove(from, request);
                reply(from, TftpPacket.error(TftpPacket.ERR_NOT_DEFINED, "Too many transfers from this client"));
                continue;
            }
            try {
                workers.execute(() -> run(request, from));
            } catch (RejectedExecutionException e) {
                end(request, from);
                reply(from, TftpPacket.error(TftpPacket.ERR_NOT_DEFINED, "Too many transfers"));
            }
        }
    }

    /** Counts one more transfer to {@code client} unless it has its most already (one atomic step per address). */
    private boolean admit(InetAddress client) {
        boolean[] admitted = new boolean[1];
        perClient.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < maxPerClient;
            return admitted[0] ? now + 1 : (now == 0 ? null : now);
        });
        return admitted[0];
    }

    private void run(TftpPacket.Request request, InetSocketAddress from) {
        try {
            new TftpTransfer(files, request, from, bindAddress, limits).run();
        } catch (IOException e) {
            // the client is unreachable or gone: nothing more to tell it
        } catch (RuntimeException e) {
            errors.accept("boot TFTP server: transfer of " + request.filename() + " to " + from + " failed", e);
        } finally {
            end(request, from);
        }
    }

    /** Forgets a transfer: its client may ask again, and one more transfer for its address is allowed. */
    private void end(TftpPacket.Request request, InetSocketAddress from) {
        active.remove(from, request);
        perClient.computeIfPresent(from.getAddress(), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Transfers under way to {@code client} as the limit counts them (for tests). */
    int transfersTo(InetAddress client) {
        return perClient.getOrDefault(client, 0);
    }

    private void reply(InetSocketAddress to, byte[] packet) {
        try {
            socket.send(new DatagramPacket(packet, packet.length, to));
        } catch (IOException e) {
            // unreachable client
        }
    }
}
