package io.metalforge.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * A request body as the form decoders and the handlers read it: at most {@link #limit} bytes, within an optional
 * deadline, at no less than a minimum data rate once a grace period has passed. It remembers why the client failed
 * to deliver it ({@link #fault()}), so the dispatcher answers a 4xx even when a handler wrapped the I/O error in
 * something else.
 */
final class RequestBody extends InputStream {

    /** Why a client did not deliver its body. */
    enum Fault {
        /** More bytes than allowed. */
        TOO_LARGE,
        /** Past the deadline, or below the minimum data rate. */
        TOO_SLOW,
        /** The connection failed or closed before the body was complete. */
        ENDED_EARLY,
        /** The unauthenticated prefix was read without finding valid credentials. */
        NOT_AUTHENTICATED
    }

    /** A read failed because of the client; {@link #fault} says why. */
    static final class ClientFault extends IOException {
        private static final long serialVersionUID = 1L;
        final Fault fault;

        ClientFault(Fault fault, String message, Throwable cause) {
            super(message, cause);
            this.fault = fault;
        }
    }

    /** The data-rate rule: after {@code graceSeconds}, at least {@code bytesPerSecond} on average. */
    record Rate(long bytesPerSecond, long graceSeconds) {
        static final Rate NONE = new Rate(0, Long.MAX_VALUE / 4);
    }

    private final InputStream in;
    private final long startNanos = System.nanoTime();
    private final Rate rate;
    private volatile long limit;
    private volatile long deadlineNanos;
    private long count;
    private volatile Fault fault;
    private volatile Fault overLimit = Fault.TOO_LARGE;

    RequestBody(InputStream in, long limit, Rate rate) {
        this.in = in;
        this.limit = limit;
        this.rate = rate;
        this.deadlineNanos = Long.MAX_VALUE;
    }

    /** The body must be read within {@code millis} from now. */
    RequestBody deadline(long millis) {
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        return this;
    }

    /** No deadline any more (the client authenticated). */
    RequestBody noDeadline() {
        deadlineNanos = Long.MAX_VALUE;
        return this;
    }

    /** A new byte limit (raised once the client authenticated). */
    RequestBody limit(long newLimit) {
        limit = newLimit;
        return this;
    }

    /** What passing the limit means: too large, or (before authentication) no credentials in the prefix. */
    RequestBody overLimit(Fault meaning) {
        overLimit = meaning;
        return this;
    }

    long limit() {
        return limit;
    }

    long count() {
        return count;
    }

    /** Why the client failed to send its body, or null. */
    Fault fault() {
        return fault;
    }

    @Override
    public int read() throws IOException {
        return readOne(this);
    }

    /** {@link InputStream#read()} by way of {@code in}'s array read, where all the checks are. */
    static int readOne(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n = in.read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        checkTime();
        long room = limit - count;
        // one byte past the limit tells a body that is too large from one that just fits (no overflow near
        // Long.MAX_VALUE: room is compared before adding)
        int want = room >= len ? len : (int) Math.max(1, room + 1);
        int n;
        try {
            n = in.read(b, off, want);
        } catch (ClientFault e) {
            throw e;
        } catch (IOException e) {
            throw fail(timeout(e) ? Fault.TOO_SLOW : Fault.ENDED_EARLY, "reading the request body failed", e);
        }
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw fail(overLimit, "more than " + limit + " bytes", null);
            }
        }
        checkTime();
        return n;
    }

    private void checkTime() throws ClientFault {
        long now = System.nanoTime();
        if (now - deadlineNanos > 0) {
            throw fail(Fault.TOO_SLOW, "the request body did not arrive in time", null);
        }
        long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(now - startNanos);
        if (rate.bytesPerSecond() > 0 && elapsedSeconds > rate.graceSeconds()
                && count < rate.bytesPerSecond() * elapsedSeconds) {
            throw fail(Fault.TOO_SLOW, "the request body arrived at less than " + rate.bytesPerSecond()
                    + " bytes per second", null);
        }
    }

    private ClientFault fail(Fault why, String message, Throwable cause) {
        if (fault == null) {
            fault = why;
        }
        return new ClientFault(why, message, cause);
    }

    /** Jetty reports an idle connection as a TimeoutException (possibly wrapped). */
    private static boolean timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
