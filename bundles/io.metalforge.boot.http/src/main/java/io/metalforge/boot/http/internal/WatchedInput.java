package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The client's bytes by plain blocking reads on its channel (one {@code read} system call each), remembering since
 * when a read has been waiting, so the server's reaper can close a connection idle longer than the timeout. Body writes
 * mark their waits here too ({@link #beginWait()}), so a client that stops taking a body is disconnected as well. A socket
 * read timeout would do the same at the price of switching the socket to non-blocking mode and back and a
 * {@code poll} around every read.
 */
final class WatchedInput extends InputStream {

    private final SocketChannel ch;
    /** System.nanoTime() when the pending read began; 0 while no read waits. */
    private volatile long waitingSince;

    WatchedInput(SocketChannel ch) {
        this.ch = ch;
    }

    /** True when a read has been waiting for longer than {@code nanos} at {@code now}. */
    boolean idleLongerThan(long nanos, long now) {
        long since = waitingSince;
        return since != 0 && now - since > nanos;
    }

    /** A blocking write to the client begins: it counts as waiting until {@link #endWait()}. */
    void beginWait() {
        waitingSince = Math.max(1, System.nanoTime());
    }

    void endWait() {
        waitingSince = 0;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        waitingSince = Math.max(1, System.nanoTime());
        try {
            return ch.read(ByteBuffer.wrap(b, off, len));
        } finally {
            waitingSince = 0;
        }
    }
}
