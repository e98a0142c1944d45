package io.metalforge.inspect.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;
import io.metalforge.api.inspect.Severity;

/**
 * Feeds an upload's bytes to the doctor on a thread of the platform executor through a small bounded queue (at most
 * {@link #DEPTH} chunks in flight), so the upload reads its stream once and memory stays bounded. The chunks live
 * in a fixed set of recycled buffers ({@link #DEPTH} + 2 of {@link #CHUNK} bytes, under half a G1 region of a
 * 256 MiB heap): feeding copies the caller's bytes into one, which the doctor's reader gives back once read, so a
 * 4 GiB upload allocates nothing per chunk.
 */
final class PipeSession implements InspectionSession {

    static final int DEPTH = 8;
    static final int CHUNK = 128 << 10;
    private static final int BUFFERS = DEPTH + 2;

    /** A filled buffer; {@code bytes} null marks the end of the content. */
    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(null, 0);

    /** The session was closed before the doctor finished. */
    static final class AbandonedException extends IOException {
        private static final long serialVersionUID = 1L;

        AbandonedException() {
            super("inspection abandoned");
        }
    }

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(DEPTH);
    /** Buffers the reader has finished with, ready to be filled again. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private int allocated;
    private final CompletableFuture<ImageReport> report = new CompletableFuture<>();
    private volatile boolean done;
    private volatile boolean abandoned;
    private boolean ended;

    /** How long the doctor waits for the next bytes before it gives up on an upload nobody continues. */
    static final long IDLE_MILLIS = 15 * 60 * 1000;

    private final long idleMillis;

    PipeSession(ImageDoctorImpl doctor, ImageExpectation expectation, Executor threads) {
        this(doctor, expectation, IDLE_MILLIS, threads);
    }

    PipeSession(ImageDoctorImpl doctor, ImageExpectation expectation, long idleMillis, Executor threads) {
        this.idleMillis = idleMillis;
        try {
            threads.execute(() -> {
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
            });
        } catch (RejectedExecutionException e) {
            // the doctor is stopping: no report from the stream; the upload is judged from its blob later
            done = true;
            report.completeExceptionally(new AbandonedException());
        }
    }

    @Override
    public synchronized void feed(byte[] bytes, int offset, int length) {
        if (ended || length == 0) {
            return;
        }
        int from = offset;
        int left = length;
        while (left > 0 && !done && !abandoned) {
            byte[] buffer = emptyBuffer();
            if (buffer == null) {
                return;
            }
            int n = Math.min(left, buffer.length);
            System.arraycopy(bytes, from, buffer, 0, n);
            put(new Chunk(buffer, n));
            from += n;
            left -= n;
        }
    }

    /** A buffer to fill: a recycled one, a new one while fewer than {@link #BUFFERS} exist, else the next freed. */
    private byte[] emptyBuffer() {
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (allocated < BUFFERS) {
            allocated++;
            return new byte[CHUNK];
        }
        try {
            while (!done && !abandoned) {
                buffer = free.poll(100, TimeUnit.MILLISECONDS);
                if (buffer != null) {
                    return buffer;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
        return null;
    }

    private void put(Chunk chunk) {
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
        private Chunk current = new Chunk(new byte[0], 0);
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
            while (position == current.length()) {
                if (eof) {
                    return -1;
                }
                try {
                    Chunk next = queue.poll(idleMillis, TimeUnit.MILLISECONDS);
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
                    if (current.bytes().length == CHUNK) {
                        free.offer(current.bytes()); // read to its end: the feeder may fill it again
                    }
                    current = next;
                    position = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AbandonedException();
                }
            }
            int n = Math.min(len, current.length() - position);
            System.arraycopy(current.bytes(), position, b, off, n);
            position += n;
            return n;
        }
    }
}
