package io.metalforge.db.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Space kept for the embedded database: a file of zeros in the database folder (0600, as everything there). When a
 * write fails because the disk is full, the file is deleted, so H2 can reopen its store (which writes its lock
 * file) and reads and small writes go on while an operator frees space. Once the file system has room for the
 * reserve twice over again, it is written anew. The bytes are really written, not a sparse file, so the space is
 * taken from the file system, not merely promised.
 */
final class DiskReserve {

    static final String FILE_NAME = "reserve";
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final long bytes;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private volatile long lastCheck = System.nanoTime() - RECHECK_NANOS;

    DiskReserve(Path file, long bytes, Consumer<String> warn, Consumer<String> info) {
        this.file = file;
        this.bytes = bytes;
        this.warn = warn;
        this.info = info;
    }

    /** Whether the reserve file is in place (always true when no reserve is configured). */
    boolean present() {
        return bytes == 0 || Files.isRegularFile(file);
    }

    /**
     * Deletes the reserve after a write failed for lack of space. Returns whether space was freed, so the caller
     * knows a retry can succeed.
     */
    synchronized boolean release() {
        if (bytes == 0) {
            return false;
        }
        try {
            if (Files.deleteIfExists(file)) {
                warn.accept("The disk holding the database is full: released its " + bytes / (1024 * 1024)
                        + " MiB reserve so the database stays usable; writes that need more space are refused "
                        + "until space is freed on " + file.getParent() + ".");
                return true;
            }
        } catch (IOException e) {
            warn.accept("Cannot release the database's disk reserve " + file + ": " + e.getMessage());
        }
        return false;
    }

    /** Writes the reserve again when it is missing and the disk has room for it twice over; checked once a second. */
    void restoreIfRoom() {
        long now = System.nanoTime();
        if (bytes == 0 || now - lastCheck < RECHECK_NANOS || Files.isRegularFile(file)) {
            return;
        }
        lastCheck = now;
        synchronized (this) {
            if (!Files.isRegularFile(file) && create()) {
                info.accept("Space returned on " + file.getParent() + ": the database's disk reserve is in place again.");
            }
        }
    }

    /** Creates the reserve when there is room for it twice over; says so when there is not. */
    synchronized boolean create() {
        if (bytes == 0 || Files.isRegularFile(file)) {
            return true;
        }
        Path partial = file.resolveSibling(FILE_NAME + ".partial");
        try {
            if (Files.getFileStore(file.getParent()).getUsableSpace() < 2 * bytes) {
                return false;
            }
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
            byte[] zeros = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.WRITE)) {
                for (long left = bytes; left > 0; left -= zeros.length) {
                    out.write(zeros, 0, (int) Math.min(zeros.length, left));
                }
            }
            Files.move(partial, file);
            return true;
        } catch (UnsupportedOperationException e) {
            warn.accept("Cannot create the database's disk reserve " + file + ": " + e.getMessage());
            return false;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the next attempt deletes it
            }
            return false;
        }
    }
}
