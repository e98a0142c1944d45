package io.metalforge.simplestreams.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Live progress of an import: bytes done and total, rate and ETA, per file and overall. Thread-safe. */
final class ImportProgress {

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

    private final Map<String, FileProgress> files = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    private final AtomicLong movedBytes = new AtomicLong();

    FileProgress track(String sha256, String filename, long total) {
        return files.computeIfAbsent(sha256, s -> new FileProgress(s, filename, total));
    }

    FileProgress file(String sha256) {
        return files.get(sha256);
    }

    void moved(FileProgress f, long n) {
        f.done.addAndGet(n);
        movedBytes.addAndGet(n);
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

    double percent() {
        long total = total();
        return total == 0 ? 100.0 : 100.0 * done() / total;
    }

    /** A JSON-ready view for the API. */
    Map<String, Object> toMap() {
        long now = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
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

    static double round(double percent) {
        return Math.round(percent * 10) / 10.0;
    }
}
