package io.metalforge.simplestreams.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live progress of an import: bytes done and total, rate and ETA, per file and overall, and how it ended: its
 * {@code state} ({@code importing}, {@code complete}, {@code failed}, {@code stopped}), the reason in one line, and
 * the outcome per boot source. Thread-safe.
 */
final class ImportProgress {

    static final String IMPORTING = "importing";
    static final String COMPLETE = "complete";
    static final String FAILED = "failed";
    static final String STOPPED = "stopped";
    /** No import ran since the start. */
    static final String NONE = "none";

    /** What became of one boot source in this import. */
    record SourceOutcome(long id, String name, String url, String state, List<String> errors) {
    }

    /** Progress of one file (one sha256). */
    static final class FileProgress {
        final String sha256;
        final String filename;
        final long total;
        final AtomicLong done = new AtomicLong();
        volatile long startNanos;
        volatile long resumedFrom;
        volatile String state = "pending";

        FileProgress(String sha256, String filename, long total) {
            this.sha256 = sha256;
            this.filename = filename;
            this.total = total;
        }

        double rate(long now) {
            long elapsed = now - startNanos;
            long moved = done.get() - resumedFrom;
            return startNanos == 0 || elapsed <= 0 ? 0 : moved * 1e9 / elapsed;
        }

        double percent() {
            return total == 0 ? 100.0 : 100.0 * done.get() / total;
        }
    }

    /** A set being downloaded: what the catalog's resource view overlays while the import runs. */
    record SyncingSet(String version, String label, List<SetFile> files) {
    }

    /** One file of a syncing set. */
    record SetFile(String filename, String filetype, String sha256, long size) {
    }

    private final Map<String, FileProgress> files = new ConcurrentHashMap<>();
    private final Map<String, SyncingSet> syncing = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    private final AtomicLong movedBytes = new AtomicLong();
    /** Also told every byte moved (the metrics' sync counter). */
    volatile java.util.function.LongConsumer counted = n -> { };
    private final Map<Long, SourceOutcome> sources = new ConcurrentHashMap<>();
    /** Failures that belong to no single source (all sources disabled, no disk space, the catalog). */
    private final List<String> general = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String state = IMPORTING;
    private volatile int published;

    /** The progress shown before any import ran. */
    static ImportProgress none() {
        ImportProgress p = new ImportProgress();
        p.state = NONE;
        return p;
    }

    /** A source this import reads. */
    void source(BootSource s) {
        sources.putIfAbsent(s.id(), new SourceOutcome(s.id(), s.name(), s.url(), IMPORTING, List.of()));
    }

    /** Something of this source failed (its catalogue, or a set from it); null for failures of no one source. */
    synchronized void failed(Long sourceId, String message) {
        SourceOutcome o = sourceId == null ? null : sources.get(sourceId);
        if (o == null) {
            general.add(message);
            return;
        }
        List<String> errors = new ArrayList<>(o.errors());
        errors.add(message);
        sources.put(o.id(), new SourceOutcome(o.id(), o.name(), o.url(), FAILED, List.copyOf(errors)));
    }

    /** The import ended: stopped when asked to, failed when anything failed, complete otherwise. */
    synchronized void ended(boolean stopped, int publishedSets) {
        published = publishedSets;
        for (SourceOutcome o : List.copyOf(sources.values())) {
            if (o.state().equals(IMPORTING)) {
                sources.put(o.id(), new SourceOutcome(o.id(), o.name(), o.url(), stopped ? STOPPED : COMPLETE,
                        List.of()));
            }
        }
        state = stopped ? STOPPED : !errors().isEmpty() ? FAILED : COMPLETE;
    }

    String state() {
        return state;
    }

    /** Every failure of this import, sources first. */
    List<String> errors() {
        List<String> all = new ArrayList<>();
        sources.values().stream().sorted(java.util.Comparator.comparingLong(SourceOutcome::id))
                .forEach(o -> all.addAll(o.errors()));
        all.addAll(general);
        return all;
    }

    /** Why the import failed, in one line (the first failure, and how many more there are); null when it did not. */
    String reason() {
        List<String> errors = errors();
        if (errors.isEmpty()) {
            return null;
        }
        String first = errors.get(0).replace('\n', ' ');
        return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)";
    }

    List<SourceOutcome> sources() {
        return sources.values().stream().sorted(java.util.Comparator.comparingLong(SourceOutcome::id)).toList();
    }

    FileProgress track(String sha256, String filename, long total) {
        return files.computeIfAbsent(sha256, s -> new FileProgress(s, filename, total));
    }

    FileProgress file(String sha256) {
        return files.get(sha256);
    }

    void moved(FileProgress f, long n) {
        f.done.addAndGet(n);
        movedBytes.addAndGet(n);
        counted.accept(n);
    }

    long total() {
        return files.values().stream().mapToLong(f -> f.total).sum();
    }

    long done() {
        return files.values().stream().mapToLong(f -> Math.min(f.done.get(), f.total)).sum();
    }

    /** Bytes per second moved over the network since the import started. */
    double rate() {
        long elapsed = System.nanoTime() - startNanos;
        return elapsed <= 0 ? 0 : movedBytes.get() * 1e9 / elapsed;
    }

    /** Seconds left at the current rate, or -1 when unknown. */
    long etaSeconds() {
        double rate = rate();
        long left = total() - done();
        return left <= 0 ? 0 : rate <= 0 ? -1 : (long) Math.ceil(left / rate);
    }

    /** Percent of the bytes to move; with nothing to move, 100 only when the import completed. */
    double percent() {
        long total = total();
        if (total == 0) {
            return state.equals(COMPLETE) ? 100.0 : 0.0;
        }
        return 100.0 * done() / total;
    }

    /** A JSON-ready view for the API. */
    Map<String, Object> toMap() {
        long now = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("error", reason());
        m.put("errors", errors());
        m.put("published", published);
        List<Map<String, Object>> perSource = new ArrayList<>();
        for (SourceOutcome o : sources()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("id", o.id());
            sm.put("name", o.name());
            sm.put("url", o.url());
            sm.put("state", o.state());
            sm.put("error", o.errors().isEmpty() ? null : String.join("; ", o.errors()));
            perSource.add(sm);
        }
        m.put("sources", perSource);
        m.put("bytes_done", done());
        m.put("bytes_total", total());
        m.put("progress", round(percent()));
        m.put("rate_bytes_per_second", (long) rate());
        m.put("eta_seconds", etaSeconds());
        List<Map<String, Object>> list = new ArrayList<>();
        for (FileProgress f : files.values()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("filename", f.filename);
            fm.put("sha256", f.sha256);
            fm.put("state", f.state);
            fm.put("bytes_done", f.done.get());
            fm.put("bytes_total", f.total);
            fm.put("progress", round(f.percent()));
            double rate = f.rate(now);
            fm.put("rate_bytes_per_second", (long) rate);
            long left = f.total - f.done.get();
            fm.put("eta_seconds", left <= 0 ? 0 : rate <= 0 ? -1 : (long) Math.ceil(left / rate));
            list.add(fm);
        }
        list.sort((a, b) -> ((String) a.get("filename")).compareTo((String) b.get("filename")));
        m.put("files", list);
        return m;
    }

    /** The set of this resource (name, architecture) is being downloaded. */
    void syncing(String name, String architecture, SyncingSet set) {
        syncing.put(key(name, architecture), set);
    }

    /** The set of this resource was published or failed: no longer in progress. */
    void settled(String name, String architecture) {
        syncing.remove(key(name, architecture));
    }

    void settleAll() {
        syncing.clear();
    }

    /**
     * The syncing set of a resource in the MAAS resource JSON form, with {@code complete: false} and
     * {@code progress} on the set and on each incomplete file, from the live byte counts of this import.
     */
    Optional<Map<String, Object>> setJson(String name, String architecture) {
        SyncingSet set = syncing.get(key(name, architecture));
        if (set == null) {
            return Optional.empty();
        }
        Map<String, Object> fileMap = new LinkedHashMap<>();
        long size = 0;
        long done = 0;
        for (SetFile sf : set.files()) {
            FileProgress fp = files.get(sf.sha256());
            long arrived = fp == null ? 0 : Math.min(fp.done.get(), sf.size());
            boolean complete = fp != null && "complete".equals(fp.state);
            size += sf.size();
            done += complete ? sf.size() : arrived;
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("filename", sf.filename());
            fm.put("filetype", sf.filetype());
            fm.put("sha256", sf.sha256());
            fm.put("size", sf.size());
            fm.put("complete", complete);
            if (!complete) {
                fm.put("progress", round(sf.size() == 0 ? 0 : 100.0 * arrived / sf.size()));
            }
            fileMap.put(sf.filename(), fm);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", set.version());
        json.put("label", set.label());
        json.put("size", size);
        json.put("complete", false); // complete only once published into the catalog
        // never 100 while incomplete: the last file may be stored but the set not yet published
        json.put("progress", Math.min(99.9, round(size == 0 ? 0 : 100.0 * done / size)));
        json.put("files", fileMap);
        return Optional.of(json);
    }

    private static String key(String name, String architecture) {
        return name + "\u0000" + architecture;
    }

    static double round(double percent) {
        return Math.round(percent * 10) / 10.0;
    }
}
