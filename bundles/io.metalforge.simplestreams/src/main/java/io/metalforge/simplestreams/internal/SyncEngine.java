package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.metalforge.api.source.ImageStreamSource;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamSourceException;
import io.metalforge.api.source.StreamItem;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.ResumableBlobStore;

/**
 * One import: reads every enabled source (a source that fails verification or parsing contributes nothing and
 * loses nothing), plans what the selections ask for, downloads what the store lacks, publishes each set into the
 * catalog only when all its files are stored and verified, keeps only the newest complete set, and removes
 * deselected images. It never deletes a blob itself: the catalog's garbage collector frees what removed sets held.
 */
final class SyncEngine {

    /** What an import did, and why anything failed. */
    record Report(List<String> published, List<String> removed, Map<String, String> errors) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * How long a set whose files are all stored may wait for others to be published with it. Short beside an
     * image's download, long beside a small set's (a few milliseconds each on loopback).
     */
    static final java.time.Duration PUBLISH_WINDOW = java.time.Duration.ofMillis(100);

    private final BootSourceRepository repository;
    private final SyncedState state;
    private final SourceResolver sources;
    private final BlobStore store;
    private final Path staging;
    private final Path bootloaders;
    private final Downloader.Settings settings;
    private final io.metalforge.api.platform.PlatformExecutor executor;
    /** The last catalogue read per source: what selections are validated against. */
    final Map<Long, StreamCatalogue> cache = new ConcurrentHashMap<>();
    /** The URL each cached catalogue was read from (a source whose URL changed is read again). */
    private final Map<Long, String> cachedUrls = new ConcurrentHashMap<>();

    SyncEngine(BootSourceRepository repository, SyncedState state, SourceResolver sources, BlobStore store,
            Path staging, Path bootloaders, Downloader.Settings settings,
            io.metalforge.api.platform.PlatformExecutor executor) {
        this.executor = executor;
        this.repository = repository;
        this.state = state;
        this.sources = sources;
        this.store = store;
        this.staging = staging;
        this.bootloaders = bootloaders;
        this.settings = settings;
    }

    String cachedUrl(long sourceId) {
        return cachedUrls.getOrDefault(sourceId, "");
    }

    /** Closes the connections a source keeps alive: the next read of it is minutes or hours away. */
    private static void closeConnections(ImageStreamSource source) {
        if (source instanceof SimpleStreamsSource simple) {
            simple.fetcher().closeIdle();
        }
    }

    /** Reads a source's catalogue now and caches it for selection checks. */
    StreamCatalogue readSource(BootSource source) throws IOException {
        ImageStreamSource reader = sources.resolve(source.url());
        StreamCatalogue c;
        try {
            c = read(source, reader);
        } finally {
            closeConnections(reader); // a read outside an import (a selection's check, the cache at start) too
        }
        cache.put(source.id(), c);
        cachedUrls.put(source.id(), source.url());
        return c;
    }

    Report run(ImportProgress progress, BooleanSupplier cancelled) throws IOException {
        Map<String, String> errors = new LinkedHashMap<>();
        List<String> published = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<SyncPlan.ReadSource> read = new ArrayList<>();
        Set<Long> unreadable = new HashSet<>();
        List<BootSource> sources = repository.sources();
        Map<Long, ImageStreamSource> readers = new HashMap<>();
        for (BootSource s : sources) {
            if (!s.enabled()) {
                continue;
            }
            progress.source(s);
            try {
                ImageStreamSource reader = this.sources.resolve(s.url());
                StreamCatalogue c = read(s, reader);
                readers.put(s.id(), reader);
                cache.put(s.id(), c);
                cachedUrls.put(s.id(), s.url());
                read.add(new SyncPlan.ReadSource(s, c, repository.selections(s.id())));
            } catch (IOException e) {
                unreadable.add(s.id());
                fail(progress, errors, s.id(), "source " + s.id(), "Failed to fetch image manifest for boot source "
                        + "with url " + s.url() + ": " + e.getMessage());
            }
        }
        if (sources.stream().noneMatch(BootSource::enabled)) {
            fail(progress, errors, null, "sources", "All the boot sources are disabled. It will not be possible to "
                    + "download new boot resources.");
        }
        SyncPlan plan = SyncPlan.of(read);

        // Files the store lacks, merged by sha256 (several sets may share one file).
        Map<String, Downloader.Job> jobs = new LinkedHashMap<>();
        Map<URI, ItemOpener> openers = new HashMap<>();
        List<SyncPlan.PlannedSet> toPublish = new ArrayList<>();
        Map<String, SyncedState.Resource> synced = new HashMap<>();
        for (SyncedState.Resource r : state.resources()) { // read once: each read walks every set and file
            synced.put(r.key(), r);
        }
        for (SyncPlan.PlannedSet ps : plan.sets) {
            if (alreadyPublished(ps, synced.get(ps.resource().key()))) {
                continue;
            }
            toPublish.add(ps);
            // a set's largest file first: its small files then fill the other download threads' gaps, so the
            // threads end together instead of one finishing a squashfs alone (sets still complete in plan order)
            List<StreamItem> largestFirst = new ArrayList<>(ps.files());
            largestFirst.sort(java.util.Comparator.comparingLong(StreamItem::size).reversed());
            for (StreamItem item : largestFirst) {
                URI src = MirrorPaths.resolve(ps.mirrorRoot(), item.path());
                openers.put(src, opener(readers.get(ps.resource().sourceId()), ps.mirrorRoot(), item.path()));
                jobs.compute(item.sha256(), (k, j) -> {
                    if (j == null) {
                        return new Downloader.Job(item.sha256(), item.size(), item.filename(), List.of(src));
                    }
                    List<URI> srcs = new ArrayList<>(j.sources());
                    if (!srcs.contains(src)) {
                        srcs.add(src);
                    }
                    return new Downloader.Job(j.sha256(), j.size(), j.filename(), srcs);
                });
            }
        }
        // Live progress of each set to download, shown under its resource's id while the import runs. It is an
        // overlay kept in memory rather than an incomplete set in the catalog: no database writes per chunk, and a
        // sync killed mid-download leaves no set that could be taken for complete (only an empty resource, which
        // the next sync drops or fills).
        for (SyncPlan.PlannedSet ps : toPublish) {
            List<ImportProgress.SetFile> files = new ArrayList<>();
            ps.files().forEach(i -> files.add(new ImportProgress.SetFile(i.filename(), i.ftype(), i.sha256(),
                    i.size())));
            progress.syncing(ps.resource().name(), ps.resource().architecture(),
                    new ImportProgress.SyncingSet(ps.version(), ps.label(), List.copyOf(files)));
        }
        // Pinned until published: the catalog's garbage collector (run by an upload's deletion meanwhile, say) never
        // deletes a blob this sync stored or reuses before its set references it.
        List<ResumableBlobStore.Pin> pins = new ArrayList<>();
        if (store instanceof ResumableBlobStore resumable) {
            jobs.keySet().forEach(sha -> pins.add(resumable.pin(sha)));
        }
        // resource ids this import registered, and those it published a set in (the clean-up skips them)
        Map<SyncPlan.PlannedSet, Long> prepared = new java.util.IdentityHashMap<>();
        Set<Long> holding = new HashSet<>();
        try {
            return finish(progress, cancelled, errors, published, removed, read, unreadable, sources, plan, jobs,
                    toPublish, (uri, offset) -> openers.get(uri).open(uri, offset), prepared, holding);
        } finally {
            pins.forEach(ResumableBlobStore.Pin::close);
            readers.values().forEach(SyncEngine::closeConnections);
            progress.settleAll();
            try {
                state.dropEmpty(holding);
            } catch (IOException e) {
                fail(progress, errors, null, "catalog", e.getMessage());
            }
        }
    }

    private Report finish(ImportProgress progress, BooleanSupplier cancelled, Map<String, String> errors,
            List<String> published, List<String> removed, List<SyncPlan.ReadSource> read, Set<Long> unreadable,
            List<BootSource> sources, SyncPlan plan, Map<String, Downloader.Job> jobs,
            List<SyncPlan.PlannedSet> toPublish, ItemOpener fetcher, Map<SyncPlan.PlannedSet, Long> prepared,
            Set<Long> holding) throws IOException {
        dropStalePartials(jobs.keySet());
        Downloader downloader = new Downloader(fetcher, staging, store, settings, progress, executor);
        List<Downloader.Job> missing = new ArrayList<>();
        for (Downloader.Job j : jobs.values()) {
            if (!store.contains(j.sha256())) {
                missing.add(j);
            } else {
                progress.track(j.sha256(), j.filename(), j.size()).done.set(j.size());
                progress.file(j.sha256()).state = "complete";
            }
        }
        // What each set still waits for, and the sets each file completes.
        Map<SyncPlan.PlannedSet, Set<String>> waiting = new java.util.IdentityHashMap<>();
        Map<String, List<SyncPlan.PlannedSet>> setsOf = new HashMap<>();
        Set<String> downloading = new HashSet<>();
        missing.forEach(j -> downloading.add(j.sha256()));
        for (SyncPlan.PlannedSet ps : toPublish) {
            Set<String> wait = new HashSet<>();
            for (StreamItem item : ps.files()) {
                if (downloading.contains(item.sha256()) && wait.add(item.sha256())) {
                    setsOf.computeIfAbsent(item.sha256(), k -> new ArrayList<>()).add(ps);
                }
            }
            waiting.put(ps, wait);
        }
        Map<String, IOException> failures = new LinkedHashMap<>();
        Set<SyncPlan.PlannedSet> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Downloader.Batch batch = null;
        try {
            downloader.checkFreeSpace(missing);
            batch = downloader.start(missing, cancelled);
        } catch (IOException e) {
            fail(progress, errors, null, "download", e.getMessage());
            for (Downloader.Job j : missing) {
                failures.put(j.sha256(), e);
            }
        }
        try {
            // While the first files download: each resource is made visible (without a set, so nothing of it is
            // usable yet) so its live progress shows under its id.
            // All of them at once (two commits in all); should that fail, one by one, so a failure is reported
            // under the resource it concerns and the others are still registered.
            List<SyncedState.Resource> resources = new ArrayList<>(toPublish.size());
            toPublish.forEach(ps -> resources.add(ps.resource()));
            List<Long> ids;
            try {
                ids = state.prepareAll(resources);
            } catch (IOException e) {
                ids = List.of(); // one by one below
            }
            for (int i = 0; i < toPublish.size(); i++) {
                SyncPlan.PlannedSet ps = toPublish.get(i);
                try {
                    prepared.put(ps, ids.size() == toPublish.size() ? ids.get(i) : state.prepare(ps.resource()));
                } catch (IOException e) {
                    fail(progress, errors, ps.resource().sourceId(), ps.resource().name() + " "
                            + ps.resource().architecture(), e.getMessage());
                }
            }
            if (batch != null) {
                // Each set is published as soon as its last file is stored (or has failed), while the others
                // still download: the catalog's work overlaps the transfers instead of following them all. The sets
                // completed within PUBLISH_WINDOW of each other are published together, in one catalog transaction:
                // on many small files that is one commit for several sets instead of one each.
                List<SyncPlan.PlannedSet> ready = new ArrayList<>();
                for (SyncPlan.PlannedSet ps : toPublish) {
                    if (waiting.get(ps).isEmpty() && done.add(ps)) {
                        ready.add(ps);
                    }
                }
                long windowEnd = System.nanoTime() + PUBLISH_WINDOW.toNanos();
                while (done.size() < toPublish.size() || !ready.isEmpty()) {
                    long waitNanos = ready.isEmpty() ? 100_000_000L : windowEnd - System.nanoTime();
                    String sha;
                    try {
                        sha = waitNanos <= 0 ? batch.settled.poll()
                                : batch.settled.poll(waitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("import interrupted");
                    }
                    for (SyncPlan.PlannedSet ps : sha == null ? List.<SyncPlan.PlannedSet>of()
                            : setsOf.getOrDefault(sha, List.of())) {
                        Set<String> wait = waiting.get(ps);
                        wait.remove(sha);
                        if (wait.isEmpty() && done.add(ps)) {
                            if (ready.isEmpty()) {
                                windowEnd = System.nanoTime() + PUBLISH_WINDOW.toNanos();
                            }
                            ready.add(ps);
                        }
                    }
                    // nothing more to wait for: every job has settled and been seen (the tasks are looked at
                    // only after a quiet spell, as they were before)
                    boolean quiet = batch.settled.isEmpty() && (batch.allSettled() || sha == null && batch.done());
                    if (!ready.isEmpty() && (quiet || System.nanoTime() - windowEnd >= 0)) {
                        publishAll(progress, errors, published, ready, batch.failures, prepared, holding);
                        ready.clear();
                    }
                    if (sha == null && quiet && ready.isEmpty()) {
                        break;
                    }
                }
                try {
                    failures = batch.await();
                } catch (IOException e) {
                    fail(progress, errors, null, "download", e.getMessage());
                    failures = new LinkedHashMap<>(batch.failures);
                    for (Downloader.Job j : missing) {
                        failures.putIfAbsent(j.sha256(), e);
                    }
                }
            }
        } finally {
            if (batch != null) {
                batch.close();
            }
        }
        // Whatever is left (downloads that could not start, or a file that never settled) is published or failed
        // by the same rule: only when all its files are stored.
        for (SyncPlan.PlannedSet ps : toPublish) {
            if (done.add(ps)) {
                publishAll(progress, errors, published, List.of(ps), failures, prepared, holding);
            }
        }

        // Remove what no selection wants any more, unless its source could not be read this time.
        Set<String> wanted = new HashSet<>();
        plan.sets.forEach(ps -> wanted.add(ps.resource().key()));
        Set<Long> known = new HashSet<>();
        sources.forEach(s -> known.add(s.id()));
        List<SyncedState.Resource> drop = new ArrayList<>();
        for (SyncedState.Resource r : state.resourcesWithoutSets()) {
            boolean keepForFailedSource = unreadable.contains(r.sourceId()) && known.contains(r.sourceId());
            if (!wanted.contains(r.key()) && !keepForFailedSource) {
                drop.add(r);
            }
        }
        if (!drop.isEmpty()) {
            for (SyncedState.Resource r : drop) {
                removed.add(r.name() + " " + r.architecture());
                try {
                    state.remove(r); // the catalog frees its blobs unless an upload shares or pinned them
                } catch (IOException e) {
                    fail(progress, errors, r.sourceId(), r.name() + " " + r.architecture(), e.getMessage());
                }
                if (r.bootloaderType() != null) {
                    BootloaderExtractor.deleteTree(bootloaderDir(r));
                }
            }
        }
        return new Report(published, removed, errors);
    }

    /**
     * Publishes sets whose files are all stored, those of resources this import prepared in one catalog
     * transaction (see {@link SyncedState#publishAll}); a set with a file that failed or is missing is reported.
     */
    private void publishAll(ImportProgress progress, Map<String, String> errors, List<String> published,
            List<SyncPlan.PlannedSet> sets, Map<String, IOException> failures, Map<SyncPlan.PlannedSet, Long> prepared,
            Set<Long> holding) throws IOException {
        List<SyncPlan.PlannedSet> complete = new ArrayList<>(sets.size());
        List<SyncedState.Publication> publications = new ArrayList<>(sets.size());
        for (SyncPlan.PlannedSet ps : sets) {
            SyncedState.Set_ set = verified(progress, errors, ps, failures);
            if (set != null) {
                complete.add(ps);
                publications.add(new SyncedState.Publication(ps.resource(), set, prepared.getOrDefault(ps, 0L)));
            }
        }
        Map<SyncedState.Publication, IOException> failed = publications.isEmpty() ? Map.of()
                : state.publishAll(publications);
        for (int i = 0; i < complete.size(); i++) {
            SyncPlan.PlannedSet ps = complete.get(i);
            IOException e = failed.get(publications.get(i));
            if (e != null) {
                fail(progress, errors, ps.resource().sourceId(), label(ps), e.getMessage());
                continue;
            }
            if (prepared.containsKey(ps)) {
                holding.add(prepared.get(ps));
            }
            progress.settled(ps.resource().name(), ps.resource().architecture());
            published.add(label(ps));
        }
    }

    private static String label(SyncPlan.PlannedSet ps) {
        return ps.resource().name() + " " + ps.resource().architecture() + " " + ps.version();
    }

    /**
     * The set to publish, its files all stored and its bootloaders extracted; null when a file failed or is
     * missing or the extraction failed, which is reported.
     */
    private SyncedState.Set_ verified(ImportProgress progress, Map<String, String> errors, SyncPlan.PlannedSet ps,
            Map<String, IOException> failures) throws IOException {
        String failed = null;
        for (StreamItem item : ps.files()) {
            IOException e = failures.get(item.sha256());
            if (e != null || !store.contains(item.sha256())) {
                failed = item.filename() + ": " + (e == null ? "not stored" : e.getMessage());
                break;
            }
        }
        String label = label(ps);
        if (failed != null) {
            progress.settled(ps.resource().name(), ps.resource().architecture());
            fail(progress, errors, ps.resource().sourceId(), label, "Failed to synchronize " + label + ": "
                    + failed);
            return null;
        }
        try {
            if (ps.resource().bootloaderType() != null) {
                extractBootloader(ps);
            }
        } catch (IOException e) {
            fail(progress, errors, ps.resource().sourceId(), label, "Failed to extract bootloader " + label + ": "
                    + e.getMessage());
            return null;
        }
        Map<String, SyncedState.File> files = new TreeMap<>();
        for (StreamItem item : ps.files()) {
            files.put(item.filename(), new SyncedState.File(item.filename(), item.ftype(), item.sha256(),
                    item.size(), item.extra()));
        }
        return new SyncedState.Set_(ps.version(), ps.label(), files);
    }

    /** A source's catalogue, read by the image stream source chosen for its URL. */
    private static StreamCatalogue read(BootSource s, ImageStreamSource reader) throws IOException {
        URI url;
        try {
            url = new URI(s.url());
        } catch (java.net.URISyntaxException e) {
            throw new StreamSourceException("Not a valid boot source URL: " + s.url());
        }
        return reader.readCatalogue(url, s.signaturePolicy());
    }

    /**
     * How the bytes of an item are fetched: the SimpleStreams source's own HTTP client (ranges, retry classes,
     * proxy), or for any other source its {@link ImageStreamSource#openItem}, which starts at the offset asked.
     */
    private ItemOpener opener(ImageStreamSource source, URI mirrorRoot, String path) {
        if (source instanceof SimpleStreamsSource simple) {
            // its reads give up after the stall timeout, in the reading thread (see HttpFetcher#stallingAfter)
            return simple.fetcher().stallingAfter(settings.stallTimeout());
        }
        return (uri, offset) -> new HttpFetcher.Opened(source.openItem(mirrorRoot, path, offset), offset, -1);
    }

    /** Records a failure in the report and in the live progress, under its source when it has one. */
    private static void fail(ImportProgress progress, Map<String, String> errors, Long sourceId, String key,
            String message) {
        errors.put(key, message);
        progress.failed(sourceId, message);
    }

    /** The latest set of the resource is this version with these files (nothing to do). */
    private boolean alreadyPublished(SyncPlan.PlannedSet ps, SyncedState.Resource r) throws IOException {
        if (r == null) {
            return false;
        }
        SyncedState.Set_ s = r.sets().get(ps.version());
        if (s == null || s.files().size() != ps.files().size()) {
            return false;
        }
        for (StreamItem i : ps.files()) {
            SyncedState.File f = s.files().get(i.filename());
            // an upstream file that changed is replaced
            if (f == null || !f.sha256().equals(i.sha256()) || !store.contains(i.sha256())) {
                return false;
            }
        }
        return r.sourceId() == ps.resource().sourceId() && r.selectionKey().equals(ps.resource().selectionKey());
    }

    private void extractBootloader(SyncPlan.PlannedSet ps) throws IOException {
        Path target = bootloaderDir(ps.resource());
        Path fresh = target.resolveSibling(target.getFileName() + ".next");
        BootloaderExtractor.deleteTree(fresh);
        // Every archive of the version goes into one folder (grub and shim side by side).
        Files.createDirectories(fresh.getParent());
        Path work = Files.createTempDirectory(fresh.getParent(), ".work-");
        try {
            int n = 0;
            for (StreamItem item : ps.files()) {
                Path one = work.resolve("a" + n++);
                try (InputStream in = store.open(item.sha256(), 0)) {
                    BootloaderExtractor.extract(in, one);
                }
                try (var walk = Files.walk(one)) {
                    for (Path p : walk.toList()) {
                        Path to = fresh.resolve(one.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(to);
                        } else {
                            Files.createDirectories(to.getParent());
                            Files.move(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            BootloaderExtractor.deleteTree(target);
            Files.move(fresh, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            BootloaderExtractor.deleteTree(work);
            BootloaderExtractor.deleteTree(fresh);
        }
    }

    private Path bootloaderDir(SyncedState.Resource r) {
        return bootloaders.resolve(r.bootloaderType()).resolve(r.architecture().split("/")[0]);
    }

    /** Partial downloads of files no longer wanted are removed; wanted ones are kept for resuming. */
    private void dropStalePartials(Set<String> wanted) throws IOException {
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (var list = Files.list(staging)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".part") && !wanted.contains(name.substring(0, name.length() - 5))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
