package io.metalforge.platform.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.platform.PlatformExecutor;

/**
 * One instance per using component (prototype scope): its tasks run on at most {@code threads} threads named
 * after the using bundle, created on first use and ended after 30 s idle; its pools are tracked. Deactivation
 * (the using component ended) cancels and interrupts everything and waits for the threads.
 */
@Component(service = PlatformExecutor.class, scope = ServiceScope.PROTOTYPE, configurationPid = PlatformExecutor.PID)
@Designate(ocd = ExecutorConfiguration.class)
public class PlatformExecutorImpl implements PlatformExecutor {

    private static final System.Logger LOG = System.getLogger(PlatformExecutorImpl.class.getName());
    static final int MAX_POOL_THREADS = 1024;
    static final long IDLE_SECONDS = 30;

    private final String prefix;
    private volatile int threads;
    private volatile Duration shutdownWait;
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();
    private final List<NamedThreads> factories = new CopyOnWriteArrayList<>();
    private ScheduledThreadPoolExecutor tasks;
    private boolean closed;

    @Activate
    public PlatformExecutorImpl(ComponentContext context, ExecutorConfiguration config) {
        this(owner(context), config.threads(), Duration.ofSeconds(config.shutdown__seconds()));
    }

    /** Outside a framework (tests of this and other bundles): threads named after {@code owner}. */
    public PlatformExecutorImpl(String owner, int threads, Duration shutdownWait) {
        this.prefix = "metalforge-" + owner;
        this.threads = Math.max(1, threads);
        this.shutdownWait = shutdownWait;
    }

    private static String owner(ComponentContext context) {
        return context.getUsingBundle() == null ? "platform" : context.getUsingBundle().getSymbolicName();
    }

    @Override
    public Future<?> submit(String name, Runnable task) {
        return tasks().submit(named(name, task));
    }

    @Override
    public <T> Future<T> submit(String name, Callable<T> task) {
        return tasks().submit(() -> {
            Thread t = Thread.currentThread();
            String was = t.getName();
            t.setName(prefix + "-" + name);
            try {
                return task.call();
            } finally {
                t.setName(was);
            }
        });
    }

    @Override
    public ScheduledFuture<?> schedule(String name, Runnable task, Duration delay) {
        return tasks().schedule(named(name, task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(String name, Runnable task, Duration initialDelay,
            Duration delay) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // a failing run must not cancel the schedule, which is what the executor would do
                LOG.log(System.Logger.Level.WARNING, prefix + "-" + name + " failed: " + e, e);
            }
        };
        return tasks().scheduleWithFixedDelay(named(name, guarded), initialDelay.toNanos(), delay.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized ExecutorService pool(String name, int threads) {
        if (closed) {
            throw new RejectedExecutionException(prefix + " has ended");
        }
        if (threads < 1 || threads > MAX_POOL_THREADS) {
            throw new IllegalArgumentException("a pool has 1 to " + MAX_POOL_THREADS + " threads, not " + threads);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory(prefix + "-" + name));
        pool.allowCoreThreadTimeOut(true);
        pools.add(pool);
        return pool;
    }

    private synchronized ScheduledThreadPoolExecutor tasks() {
        if (closed) {
            throw new RejectedExecutionException(prefix + " has ended");
        }
        if (tasks == null) {
            tasks = new ScheduledThreadPoolExecutor(threads, factory(prefix));
            tasks.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
            tasks.allowCoreThreadTimeOut(true);
            tasks.setRemoveOnCancelPolicy(true);
            tasks.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        return tasks;
    }

    private NamedThreads factory(String name) {
        NamedThreads f = new NamedThreads(name);
        factories.add(f);
        return f;
    }

    /** Names of this instance's threads that are alive now. */
    List<String> aliveThreads() {
        return factories.stream().flatMap(f -> f.alive().stream()).toList();
    }

    private Runnable named(String name, Runnable task) {
        String threadName = prefix + "-" + name;
        return () -> {
            Thread t = Thread.currentThread();
            String was = t.getName();
            t.setName(threadName);
            try {
                task.run();
            } finally {
                t.setName(was);
            }
        };
    }

    /**
     * New settings apply to the running instance: without this, DS would re-register the service and so restart
     * every component that uses it.
     */
    @Modified
    synchronized void modified(ExecutorConfiguration config) {
        threads = Math.max(1, config.threads());
        shutdownWait = Duration.ofSeconds(config.shutdown__seconds());
        if (tasks != null) {
            tasks.setCorePoolSize(threads);
        }
    }

    int threads() {
        return tasks == null ? threads : tasks.getCorePoolSize();
    }

    @Deactivate
    void deactivate() {
        close();
    }

    /** Ends every task and thread of the using component; returns the names of threads that would not end. */
    List<String> close() {
        List<ExecutorService> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (tasks != null) {
                all.add(tasks);
            }
            all.addAll(pools);
        }
        for (ExecutorService e : all) {
            // cancelled rather than dropped, so nobody waits forever on a queued task's future
            e.shutdownNow().forEach(r -> {
                if (r instanceof Future<?> f) {
                    f.cancel(false);
                }
            });
        }
        long deadline = System.nanoTime() + shutdownWait.toNanos();
        try {
            for (NamedThreads f : factories) {
                f.awaitEnd(deadline);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        List<String> stuck = aliveThreads();
        if (!stuck.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, prefix + ": tasks still running " + shutdownWait.toSeconds()
                    + " s after they were interrupted: " + stuck);
        }
        return stuck;
    }
}
