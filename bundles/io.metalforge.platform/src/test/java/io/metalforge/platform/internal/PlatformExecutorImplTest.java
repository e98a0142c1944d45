package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The managed threads: named, bounded, ended with their component. Real threads, bounded waits. */
@Timeout(30)
class PlatformExecutorImplTest {

    private final PlatformExecutorImpl executor = new PlatformExecutorImpl("io.example.owner", 2, Duration.ofSeconds(5));

    @AfterEach
    void end() {
        executor.close();
    }

    @Test
    void aTaskRunsOnAThreadNamedAfterTheBundleAndTheTask() throws Exception {
        Future<String> name = executor.submit("user-store-migrate", () -> Thread.currentThread().getName());
        assertEquals("metalforge-io.example.owner-user-store-migrate", name.get(5, TimeUnit.SECONDS));
        Future<String> pooled = executor.pool("download", 3).submit(() -> Thread.currentThread().getName());
        assertEquals("metalforge-io.example.owner-download-1", pooled.get(5, TimeUnit.SECONDS));
    }

    @Test
    void noMoreThanTheConfiguredThreadsRunAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(executor.submit("work", () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
            }));
        }
        Thread.sleep(300);
        assertEquals(2, running.get(), "two threads busy, four tasks queued");
        release.countDown();
        for (Future<?> f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, most.get());
    }

    @Test
    void closingInterruptsRunningTasksCancelsSchedulesAndEndsEveryThread() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        Runnable blocker = () -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        };
        executor.submit("blocked", blocker);
        executor.pool("fan-out", 4).execute(blocker);
        AtomicInteger ticks = new AtomicInteger();
        ScheduledFuture<?> schedule = executor.scheduleWithFixedDelay("tick", ticks::incrementAndGet,
                Duration.ofMinutes(10), Duration.ofMinutes(10));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        List<String> alive = executor.aliveThreads();
        assertTrue(alive.contains("metalforge-io.example.owner-blocked") && alive.contains(
                "metalforge-io.example.owner-fan-out-1"), alive.toString());

        List<String> stuck = executor.close();

        assertEquals(List.of(), stuck);
        assertTrue(interrupted.await(1, TimeUnit.SECONDS), "running tasks were interrupted");
        assertTrue(schedule.isCancelled() || schedule.isDone(), "schedule ended");
        assertEquals(List.of(), executor.aliveThreads(), "no thread outlives the component");
        assertEquals(0, ticks.get());
    }

    @Test
    void aTaskThatIgnoresInterruptsIsNamedAfterTheWait() throws Exception {
        PlatformExecutorImpl impatient = new PlatformExecutorImpl("io.example.stubborn", 1, Duration.ofMillis(200));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        impatient.submit("stubborn", () -> {
            started.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < end) {
                Thread.interrupted(); // swallows the interrupt on purpose
                Thread.onSpinWait();
            }
            done.countDown();
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("metalforge-io.example.stubborn-stubborn"), impatient.close());
        assertTrue(done.await(5, TimeUnit.SECONDS));
    }

    @Test
    void nothingIsAcceptedAfterTheComponentEnded() {
        ExecutorService pool = executor.pool("late", 1);
        executor.close();
        assertTrue(pool.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> executor.submit("late", () -> { }));
        assertThrows(RejectedExecutionException.class, () -> executor.pool("late", 1));
        assertThrows(RejectedExecutionException.class,
                () -> executor.schedule("late", () -> { }, Duration.ofSeconds(1)));
    }

    @Test
    void aFailingScheduledRunDoesNotStopTheSchedule() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        executor.scheduleWithFixedDelay("flaky", () -> {
            three.countDown();
            throw new IllegalStateException("flaky run");
        }, Duration.ZERO, Duration.ofMillis(10));
        assertTrue(three.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aNewThreadBoundAppliesToTheRunningInstance() throws Exception {
        executor.submit("first", () -> { }).get(5, TimeUnit.SECONDS);
        executor.modified(new ExecutorConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return ExecutorConfiguration.class;
            }

            @Override
            public int threads() {
                return 3;
            }

            @Override
            public int shutdown__seconds() {
                return 1;
            }
        });
        assertEquals(3, executor.threads());
        CountDownLatch three = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            executor.submit("parallel", () -> {
                three.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(three.await(5, TimeUnit.SECONDS), "three tasks run at once after the change");
        release.countDown();
    }

    @Test
    void poolSizesAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> executor.pool("none", 0));
        assertThrows(IllegalArgumentException.class, () -> executor.pool("huge", 1025));
    }

    @Test
    void aCallableResultAndItsFailureReachTheCaller() throws Exception {
        assertEquals(42, executor.submit("answer", () -> 42).get(5, TimeUnit.SECONDS));
        Future<Object> failing = executor.submit("fails", () -> {
            throw new java.io.IOException("disk gone");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS));
        assertEquals("disk gone", e.getCause().getMessage());
    }
}
