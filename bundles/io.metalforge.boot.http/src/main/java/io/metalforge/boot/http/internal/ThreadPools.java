package io.metalforge.boot.http.internal;

import java.util.concurrent.ExecutorService;

/**
 * Where the server's threads come from: the platform executor's pools in the framework
 * ({@link io.metalforge.api.platform.PlatformExecutor#pool}), plain pools in unit tests.
 */
@FunctionalInterface
interface ThreadPools {

    /** A pool of at most {@code threads} threads named after {@code name}; the server shuts it down when it stops. */
    ExecutorService pool(String name, int threads);
}
