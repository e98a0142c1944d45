package io.metalforge.boot.tftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.boot.BootFiles;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequestRecord;

/**
 * One read transfer from its own UDP port (the server's transfer ID): options are granted in an OACK, then blocks are
 * sent a window at a time; a window is sent again from the first unacknowledged block when no acknowledgement comes in
 * time, up to the retry limit. Duplicate acknowledgements are ignored, so a delayed ACK never doubles the traffic
 * (the "Sorcerer's Apprentice" bug of RFC 1350).
 */
final class TftpTransfer {

    static final int DEFAULT_BLKSIZE = 512;
    static final int MIN_BLKSIZE = 8;
    static final int MAX_BLKSIZE = 65464;
    /** Most bytes in flight per transfer, whatever window the client asks for. */
    static final int MAX_WINDOW_BYTES = 1 << 20;

    /** What the server allows. */
    record Limits(int maxBlksize, int maxWindowsize, int timeoutMillis, int retries) {
    }

    /** How a transfer ended, for the request log. */
    record Outcome(int status, long bytes) {
    }

    private final BootFiles files;
    private final TftpPacket.Request request;
    private final InetSocketAddress client;
    private final Limits limits;
    private final String bindAddress;
    private int timeoutMillis;

    TftpTransfer(BootFiles files, TftpPacket.Request request, InetSocketAddress client, String bindAddress,
            Limits limits) {
        this.files = files;
        this.request = request;
        this.client = client;
        this.limits = limits;
        this.bindAddress = bindAddress;
    }

    Outcome run() throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                Selector selector = Selector.open()) {
            channel.bind(new InetSocketAddress(bindAddress, 0));
            channel.connect(client);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            String local = ((InetSocketAddress) channel.getLocalAddress()).getAddress().getHostAddress();
            Outcome outcome = transfer(new Peer(channel, selector), local);
            files.record(new BootRequestRecord(Instant.now(), BootProtocol.TFTP, client.getAddress().getHostAddress(),
                    "", request.filename(), outcome.status(), outcome.bytes()));
            return outcome;
        }
    }

    /**
     * The transfer's own connected, non-blocking socket and a selector for waiting on it with a deadline: no socket
     * option changes per packet (as a timeout on a blocking socket needs), and what a client sent is read before
     * waiting at all.
     */
    private static final class Peer {
        final DatagramChannel channel;
        final Selector selector;
        /** Acknowledgements and errors; anything longer is cut, which an ACK never is. */
        final ByteBuffer in = ByteBuffer.allocateDirect(516);

        Peer(DatagramChannel channel, Selector selector) {
            this.channel = channel;
            this.selector = selector;
        }

        void send(ByteBuffer packet) throws IOException {
            while (packet.hasRemaining()) {
                if (channel.write(packet) == 0) {
                    // the socket buffer is full (a large window): wait until it drains
                    selector.selectedKeys().clear();
                    channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
                    selector.select(100);
                    channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
                }
            }
        }

        void send(byte[] packet) throws IOException {
            send(ByteBuffer.wrap(packet));
        }

        /** Reads one datagram into {@link #in} before the deadline; false on timeout. */
        boolean receive(long deadline) throws IOException {
            while (true) {
                in.clear();
                int n;
                try {
                    n = channel.read(in);
                } catch (java.net.PortUnreachableException e) {
                    n = 0; // an ICMP error from an earlier send: the client may still answer; the deadline decides
                }
                if (n > 0) {
                    in.flip();
                    return true;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                selector.selectedKeys().clear();
                selector.select(Math.max(1, left));
            }
        }
    }

    private Outcome transfer(Peer peer, String local) throws IOException {
        if (request.opcode() == TftpPacket.WRQ) {
            peer.send(TftpPacket.error(TftpPacket.ERR_ACCESS, "Read-only server"));
            return new Outcome(403, 0);
        }
        Optional<BootFile> found = files.resolve(request.filename(), BootProtocol.TFTP,
                client.getAddress().getHostAddress(), local);
        if (found.isEmpty()) {
            peer.send(TftpPacket.error(TftpPacket.ERR_NOT_FOUND, "File not found"));
            return new Outcome(404, 0);
        }
        BootFile file = found.get();
        long size = file.size();
        int blksize = DEFAULT_BLKSIZE;
        int window = 1;
        int timeout = limits.timeoutMillis();
        Map<String, String> granted = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : request.options().entrySet()) {
            Integer v = number(o.getValue());
            switch (o.getKey()) {
            case "blksize" -> {
                if (v != null && v >= MIN_BLKSIZE) {
                    blksize = Math.min(v, Math.min(MAX_BLKSIZE, limits.maxBlksize()));
                    granted.put("blksize", Integer.toString(blksize));
                }
            }
            case "tsize" -> granted.put("tsize", Long.toString(size));
            case "timeout" -> {
                if (v != null && v >= 1 && v <= 255) {
                    timeout = v * 1000;
                    granted.put("timeout", Integer.toString(v));
                }
            }
            case "windowsize" -> {
                if (v != null && v >= 1) {
                    window = -v; // settled once blksize is known
                }
            }
            default -> {
                // unknown options are left out of the OACK, which declines them (RFC 2347)
            }
            }
        }
        if (window < 0) {
            window = Math.max(1, Math.min(Math.min(-window, limits.maxWindowsize()), MAX_WINDOW_BYTES / blksize));
            granted.put("windowsize", Integer.toString(window));
        }
        timeoutMillis = timeout;
        // a whole window fits in the socket's send buffer, so sending one never waits for the kernel
        int windowBytes = window * (blksize + 32);
        if (windowBytes > peer.channel.getOption(StandardSocketOptions.SO_SNDBUF)) {
            peer.channel.setOption(StandardSocketOptions.SO_SNDBUF, Math.min(2 * MAX_WINDOW_BYTES, windowBytes));
        }
        if (!granted.isEmpty()) {
            byte[] oack = TftpPacket.oack(granted);
            if (!sendAndAwait(peer, oack, 0)) {
                return new Outcome(408, 0);
            }
        }
        try (BlockReader reader = new BlockReader(file)) {
            return sendBlocks(peer, reader, size, blksize, window);
        }
    }

    /** Sends one packet until block {@code expect} is acknowledged; false when the client stopped answering. */
    private boolean sendAndAwait(Peer peer, byte[] packet, int expect) throws IOException {
        for (int attempt = 0; attempt <= limits.retries(); attempt++) {
            peer.send(packet);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                int ack = receiveAck(peer, deadline);
                if (ack == -2) {
                    break; // timed out: send again
                }
                if (ack == -3) {
                    return false; // the client sent an error (for instance declining our options)
                }
                if (ack == expect) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Sends the blocks a window at a time through one direct buffer: each block is read from the file into it (a
     * positional read, from the page cache for a hot file) and sent from it, so no byte of the file passes through
     * the Java heap and nothing is allocated per packet. A window sent again is read again.
     */
    private Outcome sendBlocks(Peer peer, BlockReader reader, long size, int blksize, int window)
            throws IOException {
        long lastBlock = size / blksize + 1; // the last block is shorter than blksize, possibly empty
        ByteBuffer packet = ByteBuffer.allocateDirect(4 + blksize);
        long base = 1;
        int attempts = 0;
        while (base <= lastBlock) {
            long end = Math.min(base + window - 1, lastBlock);
            for (long b = base; b <= end; b++) {
                long offset = (b - 1) * blksize;
                int length = (int) Math.min(blksize, size - offset);
                packet.clear();
                packet.putShort((short) TftpPacket.DATA).putShort((short) (b & 0xffff));
                if (reader.read(offset, packet, length) != length) {
                    peer.send(TftpPacket.error(TftpPacket.ERR_NOT_DEFINED, "File changed while being sent"));
                    return new Outcome(500, offset);
                }
                packet.flip();
                peer.send(packet);
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            long acked = -1;
            while (acked < 0) {
                int ack = receiveAck(peer, deadline);
                if (ack == -2) {
                    break;
                }
                if (ack == -3) {
                    return new Outcome(499, (base - 1) * blksize);
                }
                // the 16-bit block number, placed in the window [base - 1, end]
                long candidate = base - 1 + ((ack - (base - 1)) & 0xffff);
                if (candidate >= base && candidate <= end) {
                    acked = candidate;
                }
            }
            if (acked < 0) {
                if (++attempts > limits.retries()) {
                    return new Outcome(408, (base - 1) * blksize);
                }
                continue; // the window again, from its first unacknowledged block
            }
            attempts = 0;
            base = acked + 1;
        }
        return new Outcome(200, size);
    }

    /** The next ACK's block; -2 on timeout; -3 when the client sent an error; -1 for anything else. */
    private static int receiveAck(Peer peer, long deadline) throws IOException {
        if (!peer.receive(deadline)) {
            return -2;
        }
        ByteBuffer in = peer.in;
        if (in.remaining() < 4) {
            return -1;
        }
        int opcode = in.getShort(0) & 0xffff;
        if (opcode == TftpPacket.ERROR) {
            return -3;
        }
        return opcode == TftpPacket.ACK ? in.getShort(2) & 0xffff : -1;
    }

    private static Integer number(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
