package io.metalforge.boot.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.metalforge.api.boot.BootFiles;
import io.metalforge.api.boot.BootRequestRecord;

/**
 * The request log off the serving threads: a request is queued (never waiting) and one thread hands the records to
 * the boot service, whose log is shared by every connection. The writer takes what has queued up, then pauses
 * {@link #LINGER_MILLIS} before looking again, so under load it wakes a few times per second for a batch instead of
 * once per request (each wake-up is a futex call on the serving thread and a context switch); it blocks only when the
 * queue was empty, and the first request after a quiet spell wakes it. Bounded: when the queue is full (a burst faster
 * than the log takes them) records are dropped and counted, and the drop is reported once per burst, so the log can
 * never slow down or stall file serving.
 */
final class RequestRecorder {

    static final int CAPACITY = 8192;

    /** How long the writer lets records gather after a batch; a record is in the log at most about this late. */
    static final long LINGER_MILLIS = 50;

    private final BootFiles files;
    private final BiConsumer<String, Throwable> errors;
    private final BlockingQueue<BootRequestRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private volatile Future<?> writer;

    RequestRecorder(BootFiles files, BiConsumer<String, Throwable> errors) {
        this.files = files;
        this.errors = errors;
    }

    /** Runs the writer on {@code thread} (a pool of one thread, shut down by the server after {@link #stop()}). */
    void start(ExecutorService thread) {
        writer = thread.submit(this::drain);
    }

    /** Queues a record; drops it (counted) when the queue is full. */
    void record(BootRequestRecord r) {
        if (!queue.offer(r)) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Stops the writer, which writes what was queued before it ends (the server waits for its thread). */
    void stop() {
        Future<?> w = writer;
        writer = null;
        if (w != null) {
            w.cancel(true);
        }
    }

    private void drain() {
        long reported = 0;
        List<BootRequestRecord> batch = new ArrayList<>();
        while (true) {
            try {
                if (queue.isEmpty()) {
                    BootRequestRecord first = queue.poll(1, TimeUnit.SECONDS);
                    if (first != null) {
                        batch.add(first);
                    }
                }
                queue.drainTo(batch);
                batch.forEach(this::write);
                if (!batch.isEmpty()) {
                    batch.clear();
                    Thread.sleep(LINGER_MILLIS);
                }
            } catch (InterruptedException e) {
                batch.forEach(this::write);
                break;
            }
            long d = dropped.get();
            if (d > reported && queue.isEmpty()) {
                errors.accept("boot HTTP server: " + (d - reported) + " request log records dropped (more requests"
                        + " than the log could take)", null);
                reported = d;
            }
        }
        for (BootRequestRecord r; (r = queue.poll()) != null;) {
            write(r);
        }
    }

    private void write(BootRequestRecord r) {
        try {
            files.record(r);
        } catch (RuntimeException e) {
            errors.accept("boot HTTP server: the request log failed", e);
        }
    }
}
