package io.metalforge.power.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;

/**
 * Power operations end: a query is bounded as in MAAS (60 s by default) through the API, the shell says it is still
 * waiting, and Ctrl-C (Gogo interrupts the command's thread) cancels the wait. The BMC here never answers within the
 * test (the simulated driver sleeps 30 s per call), as an unreachable BMC behind a long session timeout does.
 */
class PowerWaitsTest {

    private final SimulatedBmcDriver sim = new SimulatedBmcDriver();
    private final TestRegistry registry = new TestRegistry().add(sim);
    private PowerServiceImpl service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void queriesAreBoundedAsInMaasAndOtherOperationsByTheirOwnTimeout() throws Exception {
        assertEquals(60, PowerServiceConfig.class.getMethod("query__timeout").getDefaultValue());
        assertEquals(180, PowerServiceConfig.class.getMethod("operation__timeout").getDefaultValue());
        PowerServiceImpl.Options defaults = new PowerServiceImpl.Options(32, WaitSchedule.parse("1,2,2,4,6,8,12"),
                Duration.ofSeconds(180), 10_000, 16, 100_000);
        assertEquals(Duration.ofSeconds(60), defaults.queryTimeout());
    }

    @Test
    void queryPowerStateOnAnUnansweringBmcEndsAtTheQueryBound() throws Exception {
        service = new PowerServiceImpl(registry, new PowerServiceImpl.Options(2, WaitSchedule.parse("0.01"),
                Duration.ofSeconds(30), 100, 16, 100, Duration.ofSeconds(1)));
        service.setBmc("m1", "sim", Map.of("power_address", "10.9.9.9"));
        sim.callMillis = 30_000;

        // what the machines API's query_power_state waits for (it answers 503 with this message)
        long start = System.nanoTime();
        PowerFailure e = assertThrows(PowerFailure.class, () -> service.perform("m1", PowerOperation.QUERY));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(e.getMessage().contains("query of m1 did not finish within 1 s"), e.getMessage());
        assertTrue(millis < 5000, "query_power_state took " + millis + " ms");
    }

    @Test
    void shellShowsProgressAndCtrlCCancelsTheWait() throws Exception {
        service = new PowerServiceImpl(registry, PowerServiceImpl.Options.of(2, "0.01", Duration.ofSeconds(60)));
        sim.callMillis = 30_000;
        PowerCommand command = new PowerCommand(service, 100);

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        AtomicReference<String> result = new AtomicReference<>();
        // Gogo binds System.out to the session's console for the command's thread; here it is swapped for the test
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        Thread shellThread = new Thread(() -> result.set(command.power("on", "power_type=sim",
                "power_address=10.8.8.8")), "gogo-command");
        try {
            shellThread.start();
            long end = System.currentTimeMillis() + 5000;
            while (!console.toString(StandardCharsets.UTF_8).contains("waiting for the BMC")
                    && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertTrue(console.toString(StandardCharsets.UTF_8).contains("on shell: waiting for the BMC, 0 s (Ctrl-C "
                    + "cancels)"), console.toString(StandardCharsets.UTF_8));

            long ctrlC = System.nanoTime();
            shellThread.interrupt(); // what Gogo does on Ctrl-C
            shellThread.join(2000);
            assertFalse(shellThread.isAlive(), "the command still waits after Ctrl-C");
            assertTrue(Duration.ofNanos(System.nanoTime() - ctrlC).toMillis() < 1000);
        } finally {
            System.setOut(previous);
        }
        assertEquals("on shell: cancelled\n", result.get());
        // the cancelled operation is no longer pending: the service takes new ones for that BMC
        long end = System.currentTimeMillis() + 2000;
        while (service.pending() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertEquals(0, service.pending());
    }
}
