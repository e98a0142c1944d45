package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.FileAdoptingBlobStore;
import io.metalforge.api.store.InsufficientSpaceException;

/**
 * Downloads files into the blob store, several at a time. Each file is staged as {@code <sha256>.part}, resumed
 * with an HTTP Range request after an interruption (or a crash), verified for size and sha256, and only then
 * handed to the store; one blob per sha256. Transient failures are retried with exponential backoff; 4xx answers
 * are not.
 * <p>
 * Each download thread reads the body into one buffer it keeps for the whole import, hashes those bytes and writes
 * them through a {@link FileChannel}: no allocation per chunk or per file. The threads are a pool of the platform
 * executor, as many as {@link Settings#threads(int)} says.
 * <p>
 * A verified file is handed to the store (fsync, rename, fsync of the folder) by a second small pool while its
 * download thread goes on with the next file: on small files those waits for the disk cost more than the transfer,
 * and several fsyncs in flight share the filesystem's journal commits. A job counts as settled (see {@link Batch})
 * only once its file is stored or has failed, so a set is still published only once all its files are durable in the
 * store.
 */
final class Downloader {

    /** One file to fetch; the sources are tried round-robin by attempt. */
    record Job(String sha256, long size, String filename, List<URI> sources) {
    }

    /** A failure that retrying cannot fix. */
    static final class PermanentFailure extends IOException {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code parallel} 0 means "adapt": see {@link #threads(int)}. */
    record Settings(int parallel, int maxAttempts, Duration backoffBase, Duration backoffMax, Duration stallTimeout) {
        static final int AUTO = 0;
        static final int MAX_AUTO = 8;

        static Settings defaults() {
            return new Settings(AUTO, 5, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60));
        }

        /**
         * Download threads for {@code files} files: the configured number, or when adapting one per core (hashing
         * keeps a core busy at link speed on a fast link), at least 2 so a slow file does not hold back the rest,
         * at most 8; never more than there are files.
         */
        int threads(int files) {
            int wanted = parallel > AUTO ? parallel
                    : Math.min(MAX_AUTO, Math.max(2, Runtime.getRuntime().availableProcessors()));
            return Math.max(1, Math.min(wanted, files));
        }
    }

    /**
     * Size of each thread's buffer: large enough that one read takes whatever the socket has, and under half a G1
     * region of a 256 MiB heap (512 KiB), so it is an ordinary allocation, not a humongous one.
     */
    static final int BUFFER = 256 << 10;

    /** Verified files being made durable in the store at once (threads blocked on the disk, not on the CPU). */
    static final int STORE_THREADS = 8;

    private final ItemOpener fetcher;
    private final Path staging;
    private final BlobStore store;
    private final Settings settings;
    private final ImportProgress progress;
    private final PlatformExecutor executor;
    /** One buffer per download thread, taken for a file and given back after it. */
    private final BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(64);

    Downloader(ItemOpener fetcher, Path staging, BlobStore store, Settings settings, ImportProgress progress,
            PlatformExecutor executor) {
        this.executor = executor;
        this.fetcher = fetcher;
        this.staging = staging;
        this.store = store;
        this.settings = settings;
        this.progress = progress;
    }

    Path partial(String sha256) {
        return staging.resolve(sha256 + ".part");
    }

    /** Checks the staging disk can take what is still missing; nothing starts otherwise. */
    void checkFreeSpace(List<Job> jobs) throws IOException {
        Files.createDirectories(staging);
        long needed = 0;
        for (Job j : jobs) {
            Path part = partial(j.sha256());
            needed += j.size() - (Files.exists(part) ? Math.min(Files.size(part), j.size()) : 0);
        }
        long usable = Files.getFileStore(staging).getUsableSpace();
        if (needed > usable) {
            throw new InsufficientSpaceException(needed, usable);
        }
    }

    /** Fetches every job; returns the failures by sha256 (empty when all are stored). */
    Map<String, IOException> downloadAll(List<Job> jobs, BooleanSupplier cancelled) throws IOException {
        try (Batch batch = start(jobs, cancelled)) {
            return batch.await();
        }
    }

    /**
     * Downloads under way: each job's sha256 is put on {@link #settled} once, when the job is stored or has failed
     * (its failure is in {@link #failures} by then), so the caller can publish a set as soon as its files are
     * durable while the others still download. Closing it stops whatever still runs.
     */
    final class Batch implements AutoCloseable {
        final BlockingQueue<String> settled = new java.util.concurrent.LinkedBlockingQueue<>();
        final Map<String, IOException> failures = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger left;
        private final List<Future<?>> downloads;
        private final List<Future<?>> stored = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final ExecutorService pool;
        private final ExecutorService storing;
        private final ScheduledFuture<?> watchdog;

        private Batch(List<Job> jobs, BooleanSupplier cancelled) {
            left = new java.util.concurrent.atomic.AtomicInteger(jobs.size());
            Map<String, InputStream> open = new ConcurrentHashMap<>();
            Map<String, long[]> lastProgress = new ConcurrentHashMap<>();
            if (jobs.isEmpty()) {
                pool = null;
                storing = null;
                watchdog = null;
                downloads = List.of();
                return;
            }
            pool = executor.pool("download", settings.threads(jobs.size()));
            storing = executor.pool("store", Math.min(STORE_THREADS, jobs.size()));
            // Close streams without progress for too long, and all of them on cancel. An HTTP body also ends by
            // itself: its reads time out after the stall timeout (see HttpFetcher#stallingAfter).
            watchdog = executor.scheduleWithFixedDelay("sync-watchdog", () -> {
                long now = System.nanoTime();
                lastProgress.forEach((sha, t) -> {
                    if (now - t[0] > settings.stallTimeout().toNanos() || cancelled.getAsBoolean()) {
                        InputStream in = open.remove(sha);
                        closeQuietly(in);
                    }
                });
            }, Duration.ofMillis(200), Duration.ofMillis(200));
            downloads = jobs.stream().<Future<?>>map(j -> pool.submit(() -> {
                boolean handedOver = false;
                try {
                    if (fetch(j, cancelled, open, lastProgress)) {
                        stored.add(storing.submit(() -> {
                            try {
                                storeVerified(j, failures);
                            } finally {
                                settle(j);
                            }
                        }));
                        handedOver = true;
                    }
                } catch (IOException e) {
                    failures.put(j.sha256(), e);
                    progress.file(j.sha256()).state = cancelled.getAsBoolean() ? "cancelled" : "failed";
                } catch (RuntimeException e) {
                    failures.put(j.sha256(), new IOException(e.toString(), e));
                    progress.file(j.sha256()).state = "failed";
                } finally {
                    if (!handedOver) {
                        settle(j);
                    }
                }
            })).toList();
        }

        private void settle(Job j) {
            // counted first: whoever takes the last job off the queue sees every job settled
            left.decrementAndGet();
            settled.add(j.sha256());
        }

        /** Every job has settled (cheap: no look at the tasks). */
        boolean allSettled() {
            return left.get() <= 0;
        }

        /** Every job is stored or has failed (or no task is left to say so). */
        boolean done() {
            if (left.get() <= 0) {
                return true;
            }
            synchronized (stored) {
                return downloads.stream().allMatch(Future::isDone) && stored.stream().allMatch(Future::isDone);
            }
        }

        /** Waits for every job; the failures by sha256 (empty when all are stored). */
        Map<String, IOException> await() throws IOException {
            awaitAll(downloads);
            awaitAll(List.copyOf(stored)); // every download task has queued its file by now
            return failures;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
                storing.shutdownNow();
                watchdog.cancel(false);
            }
        }
    }

    /** Starts downloading every job (see {@link Batch}); the caller closes the batch. */
    Batch start(List<Job> jobs, BooleanSupplier cancelled) throws IOException {
        Files.createDirectories(staging);
        for (Job j : jobs) {
            progress.track(j.sha256(), j.filename(), j.size());
        }
        return new Batch(jobs, cancelled);
    }

    private static void awaitAll(List<Future<?>> futures) throws IOException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("import interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    /** Hands a downloaded and verified file to the store; its failure is the file's. */
    private void storeVerified(Job job, Map<String, IOException> failures) {
        ImportProgress.FileProgress fp = progress.file(job.sha256());
        try {
            Path part = partial(job.sha256());
            if (store instanceof FileAdoptingBlobStore adopting) {
                adopting.adopt(job.sha256(), job.size(), part); // fsyncs the file and the rename
            } else {
                try (InputStream verified = Files.newInputStream(part)) {
                    store.write(job.sha256(), job.size(), verified);
                }
                Files.deleteIfExists(part);
            }
            fp.state = "complete";
        } catch (IOException | RuntimeException e) {
            failures.put(job.sha256(), e instanceof IOException io ? io : new IOException(e.toString(), e));
            fp.state = "failed";
        }
    }

    /** Downloads and verifies a job into its partial file; false when the store holds it already. */
    private boolean fetch(Job job, BooleanSupplier cancelled, Map<String, InputStream> open,
            Map<String, long[]> lastProgress) throws IOException {
        ImportProgress.FileProgress fp = progress.file(job.sha256());
        if (store.contains(job.sha256())) {
            fp.done.set(job.size()); // already stored: reused, not moved
            fp.state = "complete";
            return false;
        }
        IOException last = null;
        for (int attempt = 0; attempt < settings.maxAttempts(); attempt++) {
            if (cancelled.getAsBoolean()) {
                throw new IOException("Import stopped");
            }
            if (attempt > 0) {
                sleepBackoff(attempt);
            }
            URI source = job.sources().get(attempt % job.sources().size());
            byte[] buf = buffer();
            try {
                fp.state = "downloading";
                transfer(job, source, fp, cancelled, open, lastProgress, buf);
                return true; // "complete" once stored
            } catch (PermanentFailure e) {
                fp.state = "failed";
                throw e;
            } catch (InsufficientSpaceException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                if (cancelled.getAsBoolean()) {
                    throw new IOException("Import stopped", e);
                }
            } finally {
                buffers.offer(buf);
                lastProgress.remove(job.sha256());
                closeQuietly(open.remove(job.sha256()));
            }
        }
        throw new IOException("Giving up on " + job.filename() + " after " + settings.maxAttempts() + " attempts: "
                + (last == null ? "" : last.getMessage()), last);
    }

    private void transfer(Job job, URI source, ImportProgress.FileProgress fp, BooleanSupplier cancelled,
            Map<String, InputStream> open, Map<String, long[]> lastProgress, byte[] buf) throws IOException {
        Path part = partial(job.sha256());
        MessageDigest md = sha256();
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > job.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have > 0) {
            hashPrefix(part, have, md, buf);
        }
        HttpFetcher.Opened opened;
        try {
            opened = fetcher.open(source, have);
        } catch (HttpFetcher.HttpStatusException e) {
            if (e.permanent()) {
                throw new PermanentFailure(e.getMessage(), e);
            }
            throw e;
        } catch (java.io.FileNotFoundException e) {
            throw new PermanentFailure(e.getMessage(), e);
        }
        if (opened.offset() < 0 || opened.offset() == 0 && have > 0) {
            // the server refused or ignored the range: start the file over
            closeQuietly(opened.body());
            Files.deleteIfExists(part);
            md.reset();
            have = 0;
            if (opened.offset() < 0) {
                opened = fetcher.open(source, 0);
            }
        }
        fp.done.set(have);
        fp.resumedFrom = have;
        fp.startNanos = System.nanoTime();
        if (opened.totalLength() >= 0 && opened.totalLength() != job.size()) {
            closeQuietly(opened.body());
            throw new PermanentFailure("Downloaded file size does not match expected size: " + source + " has "
                    + opened.totalLength() + " bytes, the stream says " + job.size(), null);
        }
        InputStream in = opened.body();
        open.put(job.sha256(), in);
        long[] stamp = {System.nanoTime()};
        lastProgress.put(job.sha256(), stamp);
        long written = have;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.position(have);
            ByteBuffer bb = ByteBuffer.wrap(buf);
            while (true) {
                // read (not readNBytes): what arrived is written at once, so a dropped connection loses nothing
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    break;
                }
                if (written + n > job.size()) {
                    throw new PermanentFailure("Downloaded file size does not match expected size: " + source
                            + " sends more than " + job.size() + " bytes", null);
                }
                md.update(buf, 0, n);
                bb.clear().limit(n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                written += n;
                progress.moved(fp, n);
                stamp[0] = System.nanoTime();
                if (cancelled.getAsBoolean()) {
                    throw new IOException("Import stopped");
                }
            }
            // no fsync here: the store makes the verified file durable before it counts as stored, and a partial
            // file a crash cuts short is resumed from what survived (its hash is checked in full either way)
        } finally {
            closeQuietly(in);
        }
        if (written < job.size()) {
            // Kept: the next attempt resumes from here.
            throw new IOException("Connection closed after " + written + " of " + job.size() + " bytes of " + source);
        }
        String digest = HexFormat.of().formatHex(md.digest());
        if (!digest.equals(job.sha256())) {
            Files.deleteIfExists(part);
            fp.done.set(0);
            throw new IOException("Invalid SHA256 checksum for " + source + ": got " + digest + ", expected "
                    + job.sha256());
        }
    }

    private void sleepBackoff(int attempt) throws InterruptedIOException {
        long base = settings.backoffBase().toMillis();
        long delay = Math.min(settings.backoffMax().toMillis(), base << Math.min(20, attempt - 1));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Import stopped");
        }
    }

    private byte[] buffer() {
        byte[] buf = buffers.poll();
        return buf != null ? buf : new byte[BUFFER];
    }

    private static void hashPrefix(Path part, long length, MessageDigest md, byte[] buf) throws IOException {
        try (InputStream in = Files.newInputStream(part)) {
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("partial file " + part + " shrank");
                }
                md.update(buf, 0, n);
                left -= n;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing is how a stalled transfer is interrupted; its error is reported by the reader
            }
        }
    }
}
