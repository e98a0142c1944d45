package io.metalforge.store.fs.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

import io.metalforge.api.store.InsufficientSpaceException;

/**
 * Decides whether the store may take more bytes: the filesystem's usable space minus a reserve, and optionally a
 * quota on what the store holds. Bytes promised to in-flight writes count as used, so two uploads cannot both be
 * admitted into the same free space.
 */
final class SpaceGuard {

    private final FileStore fileStore;
    private final long reserve;
    private final long quota;
    private long used;
    private long promised;

    SpaceGuard(Path root, long reserve, long quota, long usedAtStart) throws IOException {
        this.fileStore = Files.getFileStore(root);
        this.reserve = Math.max(0, reserve);
        this.quota = Math.max(0, quota);
        this.used = usedAtStart;
    }

    /** Promises {@code bytes} to a writer or throws; pair with {@link #release}. */
    synchronized void promise(long bytes) throws IOException {
        long available = available();
        if (bytes > available) {
            throw new InsufficientSpaceException(bytes, Math.max(0, available));
        }
        promised += bytes;
    }

    /** Returns a promise; {@code kept} of it became stored bytes. */
    synchronized void release(long bytes, long kept) {
        promised -= bytes;
        used += kept;
    }

    synchronized void freed(long bytes) {
        used = Math.max(0, used - bytes);
    }

    synchronized long available() throws IOException {
        long disk = fileStore.getUsableSpace() - reserve - promised;
        if (quota > 0) {
            disk = Math.min(disk, quota - used - promised);
        }
        return disk;
    }
}
