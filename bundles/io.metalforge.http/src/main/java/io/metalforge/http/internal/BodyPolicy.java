package io.metalforge.http.internal;

/**
 * How request bodies are read, so that no unauthenticated client can hold the service: before authentication at
 * most {@code unauthenticatedBytes} of a form are read (enough for form-carried OAuth parameters), within
 * {@code unauthenticatedMillis}, by at most {@code unauthenticatedReaders} requests at once, and never into a file.
 * Every body must arrive at {@code rate} once its grace period has passed. File parts are spooled only while
 * {@code spoolReserveBytes} stay free. A refused body of an authenticated client is read and dropped for at most
 * {@code drainMillis}, so the client sees the answer rather than a reset.
 */
record BodyPolicy(int unauthenticatedBytes, long unauthenticatedMillis, int unauthenticatedReaders,
        RequestBody.Rate rate, long spoolReserveBytes, long drainMillis) {

    static final BodyPolicy DEFAULT = new BodyPolicy(64 * 1024, 5_000, 16, new RequestBody.Rate(1024, 30),
            256L << 20, 5_000);
}
