package io.metalforge.store.fs.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copy buffers the store reuses across writes and chunks, so an upload of a thousand chunks allocates none per
 * chunk. Each is 256 KiB: one read takes what a socket delivers, and it stays under half a G1 region of a 256 MiB
 * heap (512 KiB), so it is never a humongous allocation. At most {@code keep} idle buffers are kept; a burst of more
 * concurrent writers allocates extra ones that are dropped afterwards.
 */
final class CopyBuffers {

    static final int SIZE = 256 << 10;

    private final BlockingQueue<byte[]> idle;

    CopyBuffers(int keep) {
        this.idle = new ArrayBlockingQueue<>(keep);
    }

    byte[] take() {
        byte[] b = idle.poll();
        return b != null ? b : new byte[SIZE];
    }

    void give(byte[] buffer) {
        idle.offer(buffer);
    }
}
