package io.metalforge.store.fs.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.store.BlobNames;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.BlobVerificationException;
import io.metalforge.api.store.FileAdoptingBlobStore;
import io.metalforge.api.store.FileChannelBlobStore;
import io.metalforge.api.store.ResumableBlobStore;

/**
 * Blobs as flat files named by their full sha256 under one folder. Writes go to {@code .tmp/}, are checked (size,
 * sha256), fsync'd and atomically renamed into place; partial uploads live in {@code .partial/<upload id>} and are
 * renamed the same way once verified. A partial's whole blocks are written past the page cache where the file
 * system allows it ({@link UncachedAppender}); of the bytes that go through it, every {@link #WRITE_BEHIND_BYTES}
 * are flushed to disk in the background (write-behind), so completing a large upload waits for its last bytes only,
 * not for gigabytes of dirty pages; the completion's fsync and rename are what make it durable, as before.
 */
@Component(service = { BlobStore.class, ResumableBlobStore.class }, property = BlobStore.PROPERTY_NAME + "=fs",
        configurationPid = "io.metalforge.store.fs")
@Designate(ocd = FsBlobStoreConfig.class)
public class FsBlobStore implements ResumableBlobStore, FileAdoptingBlobStore, FileChannelBlobStore {

    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final Path root;
    private final Path tmp;
    private final Path partials;
    private final SpaceGuard space;
    /** The device of {@link #root} (see {@link #adopt}); null where unknown. */
    private final Object rootDevice;
    private final Object pinLock = new Object();
    private final Map<String, Integer> pins = new HashMap<>();
    private final Map<String, Object> uploadLocks = new ConcurrentHashMap<>();
    /** Running digests of partials, so a normal upload reads its bytes once; lost on restart, then rebuilt. */
    private final Map<String, RunningDigest> digests = new ConcurrentHashMap<>();
    private final CopyBuffers buffers = new CopyBuffers(16);
    /** Writes partials' bytes past the page cache where the file system allows it. */
    private final UncachedAppender appender;
    /** Renames into the blob folder so far, and the last of them an fsync of the folder covers. */
    private final AtomicLong renames = new AtomicLong();
    private final Object rootSync = new Object();
    private long rootSyncedUpTo; // guarded by rootSync
    /** The blob folder's fsyncs so far (tests). */
    long rootSyncs; // guarded by rootSync

    /** Bytes appended to a partial between two background flushes. */
    static final long WRITE_BEHIND_BYTES = 32L << 20;
    /** Runs the write-behind flushes; null: none (the completion's fsync writes everything). */
    private final Executor flusher;

    @Activate
    public FsBlobStore(@Reference PlatformDirectories directories, FsBlobStoreConfig config,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor) throws IOException {
        this(config.directory().isBlank() ? directories.data().resolve("blobs") : Path.of(config.directory()),
                config.reserve__bytes(), config.quota__bytes(), executor.pool("write-behind", 2), config.direct__io());
    }

    /**
     * A store outside a framework (tests, tools), without write-behind: partials reach the disk at their
     * completion's fsync. A factory rather than a constructor, so that Declarative Services sees one constructor of
     * its arity.
     */
    public static FsBlobStore create(Path root, long reserveBytes, long quotaBytes) throws IOException {
        return new FsBlobStore(root, reserveBytes, quotaBytes, null);
    }

    FsBlobStore(Path root, long reserveBytes, long quotaBytes, Executor flusher) throws IOException {
        this(root, reserveBytes, quotaBytes, flusher, true);
    }

    /** {@code directIo} false: every partial's byte through the page cache, as on a file system without O_DIRECT. */
    FsBlobStore(Path root, long reserveBytes, long quotaBytes, Executor flusher, boolean directIo) throws IOException {
        this.flusher = flusher;
        this.root = Files.createDirectories(root.toAbsolutePath());
        this.tmp = Files.createDirectories(this.root.resolve(".tmp"));
        this.partials = Files.createDirectories(this.root.resolve(".partial"));
        this.appender = directIo ? UncachedAppender.forFolder(partials) : UncachedAppender.cachedOnly();
        this.rootDevice = deviceOf(this.root);
        clearTemporaryFiles();
        this.space = new SpaceGuard(this.root, reserveBytes, quotaBytes, bytesIn(this.root) + bytesIn(partials));
    }

    @Override
    public String name() {
        return "fs";
    }

    Path root() {
        return root;
    }

    /** Whether partials' whole blocks are tried past the page cache; a file system may still refuse it (tests). */
    boolean writesDirect() {
        return appender.direct();
    }

    @Override
    public boolean contains(String sha256) {
        return Files.isRegularFile(blob(sha256));
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        try {
            return Optional.of(Files.size(blob(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void write(String sha256, long size, InputStream content) throws IOException {
        String sha = BlobNames.requireSha256(sha256);
        if (size < 0) {
            throw new BlobVerificationException("Negative size " + size);
        }
        // pinned before looking, so garbage collection cannot remove a blob this call reports as stored
        try (Pin pin = pin(sha)) {
            if (contains(sha)) {
                return;
            }
            space.promise(size);
            long kept = 0;
            Path temp = Files.createTempFile(tmp, sha.substring(0, 12), ".tmp");
            try {
                MessageDigest digest = sha256();
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    long copied = copy(content, out, size, digest);
                    if (copied < size) {
                        throw new BlobVerificationException(
                                "Stream ended after " + copied + " of " + size + " bytes; nothing stored");
                    }
                    verifyDigest(sha, digest);
                    out.force(true);
                }
                publish(temp, sha);
                kept = size;
            } finally {
                Files.deleteIfExists(temp);
                space.release(size, kept);
            }
        }
    }

    /**
     * Takes over a file the caller (the image sync) has downloaded and verified: a rename when it is on the store's
     * filesystem, so the bytes are not written twice; a verified copy otherwise. Which one is decided by one stat of
     * the file (its device against the store folder's), not by looking up both file stores: that reads the mount
     * table and stats every folder up to the mount point, twice per file, which on many small files cost more
     * system calls than their transfer. A rename the kernel still refuses across mount points (a second bind mount
     * of the same device) falls back to the copy.
     */
    @Override
    public void adopt(String sha256, long size, Path file) throws IOException {
        String sha = BlobNames.requireSha256(sha256);
        try (Pin pin = pin(sha)) {
            if (contains(sha)) {
                Files.deleteIfExists(file);
                return;
            }
            long length = Files.size(file);
            if (length != size) {
                throw new BlobVerificationException("File " + file + " has " + length + " bytes, not " + size);
            }
            if (!onStoreDevice(file)) {
                adoptByCopy(sha, size, file);
                return;
            }
            space.promise(size);
            boolean renamed = false;
            try {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                // false: another mount point of the same device, copied below
                renamed = tryPublish(file, sha);
            } finally {
                space.release(size, renamed ? size : 0);
            }
            if (!renamed) {
                adoptByCopy(sha, size, file);
            }
        }
    }

    private void adoptByCopy(String sha, long size, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            write(sha, size, in);
        }
        Files.deleteIfExists(file);
    }

    /** Whether {@code file} lies on the device of the store's folder (where a rename can take it). */
    private boolean onStoreDevice(Path file) throws IOException {
        if (rootDevice != null) {
            try {
                return rootDevice.equals(Files.getAttribute(file, "unix:dev"));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no unix attribute view here: compare the file stores below
            }
        }
        return Files.getFileStore(file).equals(Files.getFileStore(root));
    }

    /** The device number of the store's folder, or null where the platform has no unix attribute view. */
    private static Object deviceOf(Path dir) throws IOException {
        try {
            return Files.getAttribute(dir, "unix:dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        FileChannel channel = FileChannel.open(blob(sha256), StandardOpenOption.READ);
        try {
            if (offset < 0 || offset > channel.size()) {
                throw new IOException("Offset " + offset + " outside blob of " + channel.size() + " bytes");
            }
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public FileChannel channel(String sha256) throws IOException {
        return FileChannel.open(blob(sha256), StandardOpenOption.READ);
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        Path file = blob(sha256);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            space.freed(size);
        }
        return deleted;
    }

    // ---- partial uploads

    @Override
    public long partialLength(String uploadId) throws IOException {
        Path file = partial(uploadId);
        return Files.exists(file) ? Files.size(file) : 0;
    }

    @Override
    public long appendPartial(String uploadId, long declaredSize, InputStream chunk, long length) throws IOException {
        Path file = partial(uploadId);
        synchronized (uploadLock(uploadId)) {
            long current = Files.exists(file) ? Files.size(file) : 0;
            if (length < 0 || current + length > declaredSize) {
                discardPartial(uploadId);
                throw new BlobVerificationException("Too much data received: " + (current + length)
                        + " bytes would pass the declared size of " + declaredSize);
            }
            // room for the whole rest of the upload, not just this chunk: refuse early rather than at 90 %
            long needed = declaredSize - current;
            space.promise(needed);
            long kept = 0;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                RunningDigest running = digestUpTo(uploadId, file, current);
                UncachedAppender.Copied copied;
                byte[] buffer = buffers.take();
                try {
                    copied = appender.append(chunk, out, file, current, length, running.digest, buffer);
                } catch (IOException e) {
                    // keep what arrived before this chunk, so the client can resend it
                    out.truncate(current);
                    digests.remove(uploadId);
                    throw e;
                } finally {
                    buffers.give(buffer);
                }
                if (copied.bytes() < length) {
                    out.truncate(current);
                    digests.remove(uploadId);
                    throw new BlobVerificationException(
                            "Chunk ended after " + copied.bytes() + " of " + length + " bytes; it was not kept");
                }
                running.length = current + length;
                kept = length;
                writeBehind(file, running, copied.cached());
                return running.length;
            } finally {
                space.release(needed, kept);
            }
        }
    }

    @Override
    public void completePartial(String uploadId, String sha256, long size) throws IOException {
        String sha = BlobNames.requireSha256(sha256);
        Path file = partial(uploadId);
        synchronized (uploadLock(uploadId)) {
            long length = Files.exists(file) ? Files.size(file) : 0;
            if (length != size) {
                throw new BlobVerificationException("Upload " + uploadId + " has " + length + " of " + size + " bytes");
            }
            RunningDigest running = digestUpTo(uploadId, file, length);
            digests.remove(uploadId);
            try {
                verifyDigest(sha, running.digest);
            } catch (BlobVerificationException e) {
                discardPartial(uploadId);
                throw e;
            }
            if (contains(sha)) {
                discardPartial(uploadId);
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // the bytes move from partial to blob: no change in what the store holds
            publish(file, sha);
        }
    }

    @Override
    public boolean discardPartial(String uploadId) throws IOException {
        Path file = partial(uploadId);
        synchronized (uploadLock(uploadId)) {
            digests.remove(uploadId);
            long size = Files.exists(file) ? Files.size(file) : 0;
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                space.freed(size);
            }
            return deleted;
        }
    }

    // ---- pins and garbage collection

    @Override
    public Pin pin(String sha256) {
        String sha = BlobNames.requireSha256(sha256);
        synchronized (pinLock) {
            pins.merge(sha, 1, Integer::sum);
        }
        return new Pin() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (pinLock) {
                    if (!closed) {
                        closed = true;
                        pins.computeIfPresent(sha, (k, n) -> n == 1 ? null : n - 1);
                    }
                }
            }
        };
    }

    boolean pinned(String sha256) {
        synchronized (pinLock) {
            return pins.containsKey(sha256);
        }
    }

    @Override
    public List<String> collectGarbage(Predicate<String> referenced, Duration grace) throws IOException {
        List<String> deleted = new ArrayList<>();
        Instant youngest = Instant.now().minus(grace);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String sha = entry.getFileName().toString();
                if (!BlobNames.isSha256(sha) || !Files.isRegularFile(entry)) {
                    continue;
                }
                // decided under the pin lock: an uploader pins before it checks whether the blob exists, so it either
                // sees the blob gone or keeps it
                synchronized (pinLock) {
                    if (pins.containsKey(sha)) {
                        continue;
                    }
                    if (Files.getLastModifiedTime(entry).toInstant().isAfter(youngest)) {
                        continue;
                    }
                    if (referenced.test(sha)) {
                        continue;
                    }
                    if (delete(sha)) {
                        deleted.add(sha);
                    }
                }
            }
        }
        return deleted;
    }

    // ---- helpers

    private Path blob(String sha256) {
        return root.resolve(BlobNames.requireSha256(sha256));
    }

    private Path partial(String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("Bad upload id: " + uploadId);
        }
        return partials.resolve(uploadId);
    }

    private Object uploadLock(String uploadId) {
        return uploadLocks.computeIfAbsent(uploadId, k -> new Object());
    }

    private void publish(Path source, String sha) throws IOException {
        if (!tryPublish(source, sha)) {
            throw new IOException("Blob folder " + root + " does not support atomic renames");
        }
    }

    /** Renames {@code source} into place as blob {@code sha} and syncs the folder; false when no atomic rename can. */
    private boolean tryPublish(Path source, String sha) throws IOException {
        try {
            // a concurrent writer of the same sha256 may win the race: same bytes, so replacing is harmless
            Files.move(source, root.resolve(sha), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            return false;
        }
        syncRoot(renamed());
        return true;
    }

    /** Numbers a rename into the blob folder once it is done (see {@link #syncRoot}). */
    long renamed() {
        return renames.incrementAndGet();
    }

    /**
     * Makes the rename numbered {@code rename} durable: an fsync of the blob folder, unless one that began after that
     * rename has ended meanwhile. Files stored at once (an image sync stores up to eight together) thus share the
     * folder's fsyncs: each waits for the one under way, and the first to go on syncs the renames of all the others.
     */
    void syncRoot(long rename) {
        synchronized (rootSync) {
            if (rootSyncedUpTo >= rename) {
                return;
            }
            long upTo = renames.get(); // every rename numbered so far is done: this fsync covers them all
            fsyncDirectory(root);
            rootSyncs++;
            rootSyncedUpTo = upTo;
        }
    }

    /**
     * Starts a background flush of the partial once {@link #WRITE_BEHIND_BYTES} were appended since the last one
     * (at most one at a time per upload). It only moves the disk writes earlier, overlapping them with the rest of
     * the upload: it promises nothing, so a failed or refused flush is ignored, and a partial renamed or discarded
     * meanwhile is simply not found.
     */
    private void writeBehind(Path file, RunningDigest running, long appended) {
        if (flusher == null) {
            return;
        }
        running.unflushed += appended;
        if (running.unflushed < WRITE_BEHIND_BYTES || !running.flushing.compareAndSet(false, true)) {
            return;
        }
        running.unflushed = 0;
        try {
            flusher.execute(() -> {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(false);
                } catch (IOException e) {
                    // ignored: see above; completePartial forces the whole file
                } finally {
                    running.flushing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.flushing.set(false); // the component is stopping
        }
    }

    /** The running digest of {@code uploadId} covering exactly {@code length} bytes, re-read from disk if needed. */
    private RunningDigest digestUpTo(String uploadId, Path file, long length) throws IOException {
        RunningDigest running = digests.get(uploadId);
        if (running != null && running.length == length) {
            return running;
        }
        running = new RunningDigest(sha256());
        if (length > 0) {
            byte[] buffer = buffers.take();
            try (InputStream in = Files.newInputStream(file)) {
                long left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new EOFException("Partial " + uploadId + " shorter than " + length);
                    }
                    running.digest.update(buffer, 0, n);
                    left -= n;
                }
            } finally {
                buffers.give(buffer);
            }
        }
        running.length = length;
        digests.put(uploadId, running);
        return running;
    }

    /** Copies up to {@code size} bytes; returns how many arrived before the stream ended. */
    private long copy(InputStream in, FileChannel out, long size, MessageDigest digest) throws IOException {
        byte[] buffer = buffers.take();
        try {
            return UncachedAppender.copyCached(in, out, 0, size, digest, buffer);
        } finally {
            buffers.give(buffer);
        }
    }

    /**
     * Reads until {@code want} bytes are in {@code buffer} or the stream ends; returns how many arrived. An HTTP
     * body delivers a few KiB per read (the container's input buffer): hashing and writing whole buffers instead
     * makes one write call per 256 KiB rather than one per network read.
     */
    static int fill(InputStream in, byte[] buffer, int want) throws IOException {
        int filled = 0;
        while (filled < want) {
            int n = in.read(buffer, filled, want - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    private static void verifyDigest(String expected, MessageDigest digest) throws BlobVerificationException {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new BlobVerificationException("Content has sha256 " + actual + ", expected " + expected);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        // makes the rename durable; not every platform allows opening a directory, which is then best effort
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // ignored: see above
        }
    }

    private void clearTemporaryFiles() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private static long bytesIn(Path dir) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    total += Files.size(entry);
                }
            }
        }
        return total;
    }

    private static final class RunningDigest {
        final MessageDigest digest;
        long length;
        /** Appended since the last write-behind flush began. */
        long unflushed;
        final AtomicBoolean flushing = new AtomicBoolean();

        RunningDigest(MessageDigest digest) {
            this.digest = digest;
        }
    }
}
