package io.metalforge.api.platform;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Background work for a component on the platform's threads, so that no component starts its own: threads are
 * bounded, named after the bundle that uses them ({@code metalforge-<bundle>-<n>}, renamed to the task's name while
 * a named task runs) and end with the component.
 * <p>
 * The service has prototype scope. Reference it with
 * {@code @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor}: every component then
 * gets its own instance, which Declarative Services releases when the component deactivates. Releasing it cancels
 * every scheduled task, interrupts every running one (tasks must end on interrupt) and waits a bounded time for
 * its threads to end; a thread that ignores the interrupt is named in a warning. Submitting to a released instance
 * throws {@link java.util.concurrent.RejectedExecutionException}.
 * <p>
 * Configuration PID {@value #PID}: {@code threads} (per component, default 4) and {@code shutdown_seconds}
 * (default 5).
 */
@ProviderType
public interface PlatformExecutor {

    /** Configuration PID of the executor service. */
    String PID = "io.metalforge.platform.executor";

    /**
     * Runs {@code task} once, as soon as one of this component's threads is free.
     *
     * @param name what the task does, in thread dumps (e.g. {@code "user-store-migrate"})
     */
    Future<?> submit(String name, Runnable task);

    /** Runs {@code task} once and returns its result, as {@link #submit(String, Runnable)}. */
    <T> Future<T> submit(String name, Callable<T> task);

    /** Runs {@code task} once after {@code delay}. */
    ScheduledFuture<?> schedule(String name, Runnable task, Duration delay);

    /**
     * Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run ends, until cancelled
     * or the component ends. A run that throws is logged and does not stop later runs.
     */
    ScheduledFuture<?> scheduleWithFixedDelay(String name, Runnable task, Duration initialDelay, Duration delay);

    /**
     * A pool of at most {@code threads} threads ({@code metalforge-<bundle>-<name>-<n>}, 1 to 1024) for a
     * component's own fan-out, such as parallel downloads or power calls. Idle threads end after 30 s. The pool is
     * shut down with this instance; the caller may shut it down earlier.
     */
    ExecutorService pool(String name, int threads);
}
