package io.metalforge.boot.tftp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
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
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0))) {
            socket.connect(client);
            String local = socket.getLocalAddress().getHostAddress();
            Outcome outcome = transfer(socket, local);
            files.record(new BootRequestRecord(Instant.now(), BootProtocol.TFTP, client.getAddress().getHostAddress(),
                    "", request.filename(), outcome.status(), outcome.bytes()));
            return outcome;
        }
    }

    private Outcome transfer(DatagramSocket socket, String local) throws IOException {
        if (request.opcode() == TftpPacket.WRQ) {
            send(socket, TftpPacket.error(TftpPacket.ERR_ACCESS, "Read-only server"));
            return new Outcome(403, 0);
        }
        Optional<BootFile> found = files.resolve(request.filename(), BootProtocol.TFTP,
                client.getAddress().getHostAddress(), local);
        if (found.isEmpty()) {
            send(socket, TftpPacket.error(TftpPacket.ERR_NOT_FOUND, "File not found"));
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
        byte[] in = new byte[516];
        if (!granted.isEmpty()) {
            byte[] oack = TftpPacket.oack(granted);
            if (!sendAndAwait(socket, oack, 0, in)) {
                return new Outcome(408, 0);
            }
        }
        try (BlockReader reader = new BlockReader(file)) {
            return sendBlocks(socket, reader, size, blksize, window, in);
        }
    }

    /** Sends one packet until block {@code expect} is acknowledged; false when the client stopped answering. */
    private boolean sendAndAwait(DatagramSocket socket, byte[] packet, int expect, byte[] in) throws IOException {
        for (int attempt = 0; attempt <= limits.retries(); attempt++) {
            send(socket, packet);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                int ack = receiveAck(socket, in, deadline);
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

    private Outcome sendBlocks(DatagramSocket socket, BlockReader reader, long size, int blksize, int window,
            byte[] in) throws IOException {
        long lastBlock = size / blksize + 1; // the last block is shorter than blksize, possibly empty
        byte[][] packets = new byte[window][];
        long base = 1;
        int attempts = 0;
        while (base <= lastBlock) {
            long end = Math.min(base + window - 1, lastBlock);
            for (long b = base; b <= end; b++) {
                byte[] p = packets[(int) (b - base)];
                long offset = (b - 1) * blksize;
                int length = (int) Math.min(blksize, size - offset);
                if (p == null || p.length != 4 + length) {
                    p = new byte[4 + length];
                    packets[(int) (b - base)] = p;
                }
                TftpPacket.dataHeader(p, b);
                if (reader.read(offset, p, 4, length) != length) {
                    send(socket, TftpPacket.error(TftpPacket.ERR_NOT_DEFINED, "File changed while being sent"));
                    return new Outcome(500, offset);
                }
                send(socket, p);
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            long acked = -1;
            while (acked < 0) {
                int ack = receiveAck(socket, in, deadline);
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
    private static int receiveAck(DatagramSocket socket, byte[] in, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            return -2;
        }
        socket.setSoTimeout((int) Math.max(1, left));
        DatagramPacket p = new DatagramPacket(in, in.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return -2;
        }
        if (TftpPacket.opcode(in, p.getLength()) == TftpPacket.ERROR) {
            return -3;
        }
        return TftpPacket.ackBlock(in, p.getLength());
    }

    private static Integer number(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void send(DatagramSocket socket, byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length));
    }
}
