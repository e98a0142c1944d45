package io.metalforge.platform.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads called {@code <prefix>-1}, {@code <prefix>-2}, ..., remembered while they live. */
final class NamedThreads implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        }, prefix + "-" + count.incrementAndGet());
        // daemon: even a task that ignores interrupts never keeps the JVM alive after the framework stopped
        t.setDaemon(true);
        live.add(t);
        return t;
    }

    /** Waits until every thread made here has ended or {@code deadline} (System.nanoTime) has passed. */
    void awaitEnd(long deadline) throws InterruptedException {
        for (Thread t : List.copyOf(live)) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Names of the threads made here that still run (their current names, which tasks may have set). */
    List<String> alive() {
        return live.stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
    }
}
