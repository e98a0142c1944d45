package io.metalforge.inspect.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;
import io.metalforge.api.inspect.Severity;

/**
 * Feeds an upload's bytes to the doctor on its own thread through a small bounded queue of copied chunks (at most
 * {@link #DEPTH} chunks in flight), so the upload reads its stream once and memory stays bounded.
 */
final class PipeSession implements InspectionSession {

    static final int DEPTH = 8;
    private static final byte[] END = new byte[0];
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The session was closed before the doctor finished. */
    static final class AbandonedException extends IOException {
        private static final long serialVersionUID = 1L;

        AbandonedException() {
            super("inspection abandoned");
        }
    }

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(DEPTH);
    private final CompletableFuture<ImageReport> report = new CompletableFuture<>();
    private volatile boolean done;
    private volatile boolean abandoned;
    private boolean ended;

    /** How long the doctor waits for the next bytes before it gives up on an upload nobody continues. */
    static final long IDLE_MILLIS = 15 * 60 * 1000;

    private final long idleMillis;

    PipeSession(ImageDoctorImpl doctor, ImageExpectation expectation) {
        this(doctor, expectation, IDLE_MILLIS);
    }

    PipeSession(ImageDoctorImpl doctor, ImageExpectation expectation, long idleMillis) {
        this.idleMillis = idleMillis;
        Thread thread = new Thread(() -> {
            try (InputStream in = new QueueInputStream()) {
                report.complete(doctor.inspect(in, expectation));
            } catch (AbandonedException e) {
                report.completeExceptionally(e);
            } catch (Throwable e) {
                report.complete(ImageReport.of("unknown",
                        List.of(new Finding(Severity.REJECTED, "inspection failed: " + e)), null, null, 0));
            } finally {
                done = true;
                queue.clear();
            }
        }, "metalforge-doctor-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
        if (done || abandoned || ended || length == 0) {
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        put(copy);
    }

    private void put(byte[] chunk) {
        try {
            while (!done && !abandoned) {
                if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    /** Whether the inspection ended without a report (closed, or the client stalled). */
    boolean abandoned() {
        return report.isCompletedExceptionally();
    }

    @Override
    public java.util.Optional<ImageReport> reportIfDone() {
        return report.isDone() && !report.isCompletedExceptionally() ? java.util.Optional.of(report.join())
                : java.util.Optional.empty();
    }

    @Override
    public ImageReport finish() throws InterruptedException {
        if (!ended) {
            ended = true;
            put(END);
        }
        try {
            return report.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("inspection was abandoned", e.getCause());
        }
    }

    @Override
    public void close() {
        if (!report.isDone()) {
            abandoned = true;
            queue.clear();
            queue.offer(END);
        }
    }

    /** The doctor's side of the pipe. */
    private final class QueueInputStream extends InputStream {
        private byte[] current = new byte[0];
        private int position;
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == current.length) {
                if (eof) {
                    return -1;
                }
                try {
                    byte[] next = queue.poll(idleMillis, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        // the client went away: end the thread; the upload, if resumed, is inspected from the blob
                        abandoned = true;
                        throw new AbandonedException();
                    }
                    if (abandoned) {
                        throw new AbandonedException();
                    }
                    if (next == END) {
                        eof = true;
                        return -1;
                    }
                    current = next;
                    position = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AbandonedException();
                }
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    }
}
