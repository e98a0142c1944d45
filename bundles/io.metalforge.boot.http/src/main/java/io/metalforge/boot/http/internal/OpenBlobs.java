package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Open file channels of image blobs by sha256, shared by every connection that sends the same image, so a client
 * reading an image in many small ranges costs no open/close per request. Safe because a blob's content never changes
 * for its sha256 (a blob deleted meanwhile keeps its bytes behind the open channel, and the boot service stops
 * resolving it). Reads use absolute positions ({@code transferTo(position, ...)}), so one channel serves concurrent
 * requests. Bounded: at most {@code max} channels stay open; a channel evicted while requests use it is closed by the
 * last of them.
 */
final class OpenBlobs implements AutoCloseable {

    /** Opens the channel of a blob on a miss; null when the blob is no local file (nothing to share). */
    @FunctionalInterface
    interface Opener {
        FileChannel open() throws IOException;
    }

    /** A use of a shared channel; closing it gives the channel back. */
    final class Lease implements AutoCloseable {
        private final Shared shared;
        private boolean released;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        FileChannel channel() {
            return shared.channel;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(shared);
            }
        }
    }

    private static final class Shared {
        final FileChannel channel;
        int users;
        boolean evicted;

        Shared(FileChannel channel) {
            this.channel = channel;
        }
    }

    private final int max;
    private final LinkedHashMap<String, Shared> bySha = new LinkedHashMap<>(64, 0.75f, true);
    private boolean closed;

    OpenBlobs(int max) {
        this.max = Math.max(1, max);
    }

    /** The shared channel of {@code sha256}, opened with {@code opener} when none is open; null when none can be. */
    Lease acquire(String sha256, Opener opener) throws IOException {
        synchronized (this) {
            Shared s = bySha.get(sha256);
            if (s != null && s.channel.isOpen()) {
                s.users++;
                return new Lease(s);
            }
        }
        FileChannel opened = opener.open(); // outside the lock: a slow disk delays only this request
        if (opened == null) {
            return null;
        }
        synchronized (this) {
            Shared s = bySha.get(sha256);
            if (closed || (s != null && s.channel.isOpen())) {
                closeQuietly(opened); // another request opened it first (or the server stops): use theirs
                if (closed) {
                    throw new IOException("the boot HTTP server is stopping");
                }
            } else {
                s = new Shared(opened);
                bySha.put(sha256, s);
                evictOverLimit();
            }
            s.users++;
            return new Lease(s);
        }
    }

    private void evictOverLimit() {
        Iterator<Map.Entry<String, Shared>> it = bySha.entrySet().iterator();
        while (bySha.size() > max && it.hasNext()) {
            Shared eldest = it.next().getValue();
            it.remove();
            eldest.evicted = true;
            if (eldest.users == 0) {
                closeQuietly(eldest.channel);
            }
        }
    }

    private synchronized void release(Shared s) {
        s.users--;
        if (s.users == 0 && (s.evicted || closed)) {
            closeQuietly(s.channel);
        }
    }

    synchronized int size() {
        return bySha.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Shared s : bySha.values()) {
            s.evicted = true;
            if (s.users == 0) {
                closeQuietly(s.channel);
            }
        }
        bySha.clear();
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
