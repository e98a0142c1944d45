package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.store.BlobStore;

/**
 * Runs imports one at a time: boot sources from the repository, synced sets in the catalog (through
 * {@link SyncedState}), bytes in the catalog's blob store, partial downloads and extracted bootloaders in a data
 * folder ({@code partial/}, {@code bootloaders/}). Start, stop, ask whether one runs, and watch its progress.
 */
final class Importer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Importer.class.getName());

    final BootSourceRepository repository;
    final SyncedState state;
    final SyncEngine engine;
    /** One thread of the platform executor: imports run one at a time. */
    private final ExecutorService runner;
    private final AtomicBoolean cancel = new AtomicBoolean();
    private final AtomicReference<Future<SyncEngine.Report>> current = new AtomicReference<>();
    private volatile ImportProgress progress = ImportProgress.none();
    private volatile SyncEngine.Report lastReport;
    /** Counts downloaded bytes for /MAAS/metrics; null while the metrics bundle is absent. */
    volatile io.metalforge.api.metrics.MetricsRecorder metrics;
    private final java.util.concurrent.atomic.AtomicLong imports = new java.util.concurrent.atomic.AtomicLong();

    /** With only the built-in SimpleStreams source, through {@code proxy} (tests and tools). */
    Importer(Path dataDir, BootSourceRepository repository, SyncedState state, String proxy,
            Downloader.Settings settings, PlatformExecutor executor) throws IOException {
        this(dataDir, repository, state, SourceResolver.of(List.of(new SimpleStreamsSource(
                new HttpFetcher(proxy, Duration.ofSeconds(30), Duration.ofMinutes(10))))), settings, executor);
    }

    Importer(Path dataDir, BootSourceRepository repository, SyncedState state, SourceResolver sources,
            Downloader.Settings settings, PlatformExecutor executor) throws IOException {
        this.runner = executor.pool("image-import", 1);
        this.repository = repository;
        this.state = state;
        BlobStore store = state.catalog().blobStore();
        this.engine = new SyncEngine(repository, state, sources, store, dataDir.resolve("partial"),
                dataDir.resolve("bootloaders"), settings, executor);
    }

    /** Starts an import unless one runs; true when this call started it. */
    synchronized boolean start() {
        Future<SyncEngine.Report> f = current.get();
        if (f != null && !f.isDone()) {
            return false;
        }
        cancel.set(false);
        imports.incrementAndGet();
        ImportProgress p = new ImportProgress();
        p.counted = n -> io.metalforge.api.metrics.MetricsRecorder.orNone(metrics).syncedBytes(n);
        progress = p;
        long started = System.nanoTime();
        current.set(runner.submit(() -> {
            try {
                SyncEngine.Report r = engine.run(p, cancel::get);
                lastReport = r;
                r.errors().values().forEach(m -> LOG.warning(m));
                p.ended(cancel.get(), r.published().size());
                logEnd(p, started, r);
                return r;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Image import failed", e);
                String message = "Image import failed: " + (e.getMessage() == null ? e : e.getMessage());
                lastReport = new SyncEngine.Report(List.of(), List.of(), Map.of("import", message));
                p.failed(null, message);
                p.ended(cancel.get(), 0);
                logEnd(p, started, lastReport);
                throw e;
            }
        }));
        return true;
    }

    /** One line per import in the log, whatever its outcome: what an operator looks for first. */
    private static void logEnd(ImportProgress p, long started, SyncEngine.Report r) {
        LOG.info(String.format(java.util.Locale.ROOT,
                "Image import %s in %.1f s: sets published %d, resources removed %d, errors %d", p.state(),
                (System.nanoTime() - started) / 1e9, r.published().size(), r.removed().size(), r.errors().size()));
    }

    /** Runs an import now and waits for it (the shell and tests). */
    SyncEngine.Report runAndWait() throws IOException, InterruptedException {
        start();
        try {
            current.get().get();
        } catch (java.util.concurrent.ExecutionException e) {
            // reported in lastReport
        }
        return lastReport;
    }

    /** How many imports this importer started: the number of the current or last one. */
    long imports() {
        return imports.get();
    }

    boolean importing() {
        Future<SyncEngine.Report> f = current.get();
        return f != null && !f.isDone();
    }

    /** Asks a running import to stop: downloads are interrupted and their partial files kept for resuming. */
    boolean stop() {
        boolean running = importing();
        cancel.set(true);
        return running;
    }

    ImportProgress progress() {
        return progress;
    }

    /** The set of this resource the running import downloads, in the resource JSON form; empty if none. */
    java.util.Optional<Map<String, Object>> syncingSet(String name, String architecture) {
        return importing() ? progress.setJson(name, architecture) : java.util.Optional.empty();
    }

    SyncEngine.Report lastReport() {
        return lastReport;
    }

    @Override
    public void close() {
        cancel.set(true);
        runner.shutdownNow();
    }
}
