package io.metalforge.http.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads the first bytes of an unauthenticated request's body with the Servlet API's non-blocking input, so that a
 * client trickling them costs a socket and a small buffer, never a worker thread: the blocking read it replaces held
 * one Jetty worker per trickling connection. Once the prefix is complete (or the body ended, or the bytes so far
 * already decide the request: {@link Enough}) the request goes on
 * on a container thread, reading the prefix and then the rest of the body ({@link Rest}, which waits for the
 * container's "data available" callback instead of a blocking read). A prefix that does not arrive within the
 * deadline is {@link Outcome#TOO_SLOW}; a connection that fails meanwhile is {@link Outcome#FAILED}; in both cases
 * nothing else runs on the request but the given {@code ended} action.
 */
final class PrefixReader implements ReadListener {

    /** What became of the prefix. */
    enum Outcome {
        /** Still arriving. */
        READING,
        /** Arrived (or the body ended first); the request goes on. */
        COMPLETE,
        /** Not within the deadline. */
        TOO_SLOW,
        /** The connection failed or closed. */
        FAILED
    }

    /** What runs once the prefix is complete: the request's processing, with the whole body as a stream. */
    @FunctionalInterface
    interface Continuation {
        void run(InputStream body) throws Exception;
    }

    /**
     * Whether the bytes arrived so far already decide the request, so that it goes on before the whole prefix is
     * there: {@link Answer#NO} is final (the reader stops asking), {@link Answer#NOT_YET} asks again as more arrives.
     */
    @FunctionalInterface
    interface Enough {
        Enough NEVER = (prefix, length) -> Answer.NO;

        enum Answer { YES, NO, NOT_YET }

        Answer check(byte[] prefix, int length);
    }

    /** What runs when the prefix never completes (too slow or the connection failed). */
    @FunctionalInterface
    interface Ended {
        void run(Outcome outcome);
    }

    private static final int FIRST_BUFFER = 8 * 1024;

    private final AsyncContext async;
    private final ServletInputStream in;
    private final int prefixBytes;
    private final long idleMillis;
    private final Continuation continuation;
    private final Ended ended;
    private Enough enough;
    private final AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.READING);
    private final CompletableFuture<Void> decided = new CompletableFuture<>();
    // grows as bytes arrive, so a trickling connection holds kilobytes, not the whole prefix
    private byte[] buffer = new byte[FIRST_BUFFER];
    private int length;
    private final Rest rest;

    private PrefixReader(AsyncContext async, ServletInputStream in, int prefixBytes, long idleMillis, Enough enough,
            Continuation continuation, Ended ended) {
        this.enough = enough;
        this.async = async;
        this.in = in;
        this.prefixBytes = prefixBytes;
        this.idleMillis = idleMillis;
        this.continuation = continuation;
        this.ended = ended;
        this.rest = new Rest();
    }

    /**
     * Starts reading {@code prefixBytes} of the request's body without a thread; returns at once. The request is
     * asynchronous from here on: {@code continuation} or {@code ended} runs later, on a container thread, and the
     * request completes after it.
     *
     * @param arrived    the body's first bytes, read already (without blocking), or none
     * @param idleMillis how long {@link Rest} waits for the next bytes once the request goes on
     * @param enough     whether fewer bytes than the prefix already decide the request (e.g. a form whose first part
     *                   is a file cannot carry OAuth parameters before it)
     */
    static void start(HttpServletRequest req, byte[] arrived, int prefixBytes, long deadlineMillis, long idleMillis,
            Enough enough, Continuation continuation, Ended ended) throws IOException {
        AsyncContext async = req.startAsync();
        async.setTimeout(0); // the deadline below bounds the prefix; an authenticated upload may take long
        PrefixReader reader = new PrefixReader(async, req.getInputStream(), prefixBytes, idleMillis, enough,
                continuation, ended);
        if (arrived.length > 0) {
            reader.buffer = Arrays.copyOf(arrived, Math.max(FIRST_BUFFER, arrived.length));
            reader.length = arrived.length;
        }
        // the JDK's shared delay scheduler; completing "decided" first cancels and removes the timer, so a flood of
        // quickly refused requests leaves no timers (nor their buffers) behind for the deadline's length
        reader.decided.orTimeout(deadlineMillis, TimeUnit.MILLISECONDS).whenComplete((v, timedOut) -> {
            if (timedOut != null) {
                reader.onContainerThread(() -> reader.end(Outcome.TOO_SLOW));
            }
        });
        reader.in.setReadListener(reader);
    }

    /** Runs {@code task} on a container thread while the prefix is still arriving. */
    private void onContainerThread(Runnable task) {
        if (outcome.get() == Outcome.READING) {
            try {
                async.start(task);
            } catch (IllegalStateException e) {
                // completed meanwhile: nothing left to do
            }
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        if (outcome.get() != Outcome.READING) {
            rest.signal(); // the request goes on: wake its reader
            return;
        }
        boolean finished = false;
        boolean decided = false;
        // one byte past the prefix tells a body that is longer than it from one that just fits
        while (length <= prefixBytes && in.isReady()) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, prefixBytes + 1));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                finished = true;
                break;
            }
            length += n;
            // asked after every read: what decides the request is not read past (a flood sends at once)
            if (n > 0 && decidedEarly()) {
                decided = true;
                break;
            }
        }
        if (decided || finished || length > prefixBytes || in.isFinished() || decidedEarly()) {
            proceed();
        }
    }

    private boolean decidedEarly() {
        if (enough == Enough.NEVER) {
            return false;
        }
        Enough.Answer answer = enough.check(buffer, length);
        if (answer == Enough.Answer.NO) {
            enough = Enough.NEVER;
        }
        return answer == Enough.Answer.YES;
    }

    @Override
    public void onAllDataRead() {
        if (outcome.get() == Outcome.READING) {
            proceed();
        } else {
            rest.signal();
        }
    }

    @Override
    public void onError(Throwable t) {
        rest.fail(t);
        onContainerThread(() -> end(Outcome.FAILED));
    }

    private void proceed() {
        if (!outcome.compareAndSet(Outcome.READING, Outcome.COMPLETE)) {
            return;
        }
        decided.complete(null);
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(buffer, 0, length), rest);
        buffer = null;
        async.start(() -> {
            try {
                continuation.run(body);
            } catch (Exception e) {
                // the continuation answers its own faults; this is a response that could not be written
            } finally {
                async.complete();
            }
        });
    }

    private void end(Outcome why) {
        if (!outcome.compareAndSet(Outcome.READING, why)) {
            return;
        }
        decided.complete(null);
        try {
            ended.run(why);
        } finally {
            async.complete();
        }
    }

    /**
     * The body after the prefix, read on the request's thread: a read waits for the container's "data available"
     * callback rather than blocking in the container, for at most the idle time between two reads.
     */
    private final class Rest extends InputStream {
        private final Object lock = new Object();
        private boolean available;
        private Throwable failure;

        void signal() {
            synchronized (lock) {
                available = true;
                lock.notifyAll();
            }
        }

        void fail(Throwable t) {
            synchronized (lock) {
                failure = t;
                lock.notifyAll();
            }
        }

        @Override
        public int read() throws IOException {
            return RequestBody.readOne(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idleMillis);
            while (true) {
                synchronized (lock) {
                    if (failure != null) {
                        throw new IOException("reading the request body failed", failure);
                    }
                    available = false;
                }
                if (in.isFinished()) {
                    return -1;
                }
                if (in.isReady()) {
                    int n = in.read(b, off, len);
                    if (n != 0) {
                        return n;
                    }
                    continue;
                }
                // isReady() was false: the container calls onDataAvailable (or onError) once there is more
                synchronized (lock) {
                    while (!available && failure == null) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new SocketTimeoutException("no request body bytes for " + idleMillis + " ms");
                        }
                        try {
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException("interrupted while reading the request body");
                        }
                    }
                }
            }
        }
    }
}
