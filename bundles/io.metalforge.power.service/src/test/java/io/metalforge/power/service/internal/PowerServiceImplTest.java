package io.metalforge.power.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;

class PowerServiceImplTest {

    private final SimulatedBmcDriver driver = new SimulatedBmcDriver();
    private final TestRegistry registry = new TestRegistry().add(driver);
    private PowerServiceImpl service = service(8, Duration.ofSeconds(10));

    private PowerServiceImpl service(int threads, Duration timeout) {
        return new PowerServiceImpl(registry,
                new PowerServiceImpl.Options(threads, WaitSchedule.parse("0.01,0.02,0.02,0.04,0.06,0.08,0.12"),
                        timeout, 1000, 64, 1000));
    }

    @AfterEach
    void stop() {
        service.stop();
    }

    private void machine(String id, String address) throws PowerFailure {
        service.setBmc(id, "sim", Map.of("power_address", address, "power_pass", "s3cr3t"));
    }

    @Test
    void onWaitsUntilTheBmcReportsOn() throws Exception {
        driver.lag = 3;
        machine("m1", "10.0.0.1");
        assertEquals(PowerState.ON, service.perform("m1", PowerOperation.ON));
        // three attempts: each is action + query, and the third query sees the change
        assertEquals(6, driver.bmc("10.0.0.1").calls.get());
    }

    @Test
    void aBmcThatNeverChangesGivesMaasMessage() throws Exception {
        driver.bmc("10.0.0.2").neverApplies = true;
        machine("m2", "10.0.0.2");
        PowerFailure failure = assertThrows(PowerFailure.class, () -> service.perform("m2", PowerOperation.ON));
        assertEquals("Failed to power m2. BMC never transitioned from off to on.", failure.getMessage());
        assertEquals(14, driver.bmc("10.0.0.2").calls.get(), "7 actions and 7 queries");
    }

    @Test
    void fatalFailuresAreNotRetried() throws Exception {
        driver.bmc("10.0.0.3").failWith = PowerFailure.Kind.AUTHENTICATION;
        machine("m3", "10.0.0.3");
        PowerFailure failure = assertThrows(PowerFailure.class, () -> service.perform("m3", PowerOperation.OFF));
        assertEquals(PowerFailure.Kind.AUTHENTICATION, failure.kind());
        assertEquals(1, driver.bmc("10.0.0.3").calls.get());
    }

    @Test
    void connectionFailuresAreRetriedThroughTheSchedule() throws Exception {
        driver.bmc("10.0.0.4").failWith = PowerFailure.Kind.CONNECTION;
        machine("m4", "10.0.0.4");
        PowerFailure failure = assertThrows(PowerFailure.class, () -> service.perform("m4", PowerOperation.ON));
        assertEquals(PowerFailure.Kind.CONNECTION, failure.kind());
        assertTrue(failure.getMessage().startsWith("Could not contact node's BMC: "));
        assertEquals(7, driver.bmc("10.0.0.4").calls.get());
        PowerFailure query = assertThrows(PowerFailure.class, () -> service.perform("m4", PowerOperation.QUERY));
        assertEquals(PowerFailure.Kind.CONNECTION, query.kind());
        assertEquals(14, driver.bmc("10.0.0.4").calls.get());
    }

    @Test
    void cycleTurnsAnOnMachineOffThenOn() throws Exception {
        machine("m5", "10.0.0.5");
        driver.bmc("10.0.0.5").state = PowerState.ON;
        driver.lag = 1;
        assertEquals(PowerState.ON, service.perform("m5", PowerOperation.CYCLE));
        // query, off + query, on + query
        assertEquals(5, driver.bmc("10.0.0.5").calls.get());
        assertEquals(PowerState.UNKNOWN, service.perform("m5", PowerOperation.PXE_ONCE));
        assertEquals(PowerState.UNKNOWN, service.perform("m5", PowerOperation.RESET));
    }

    @Test
    void neverTwoOperationsAtOnceOnOneBmcButManyBmcsInParallel() throws Exception {
        driver.callMillis = 5;
        List<CompletableFuture<PowerState>> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            machine("shared-" + i, "10.0.1.1");
            machine("own-" + i, "10.0.2." + i);
        }
        for (int i = 0; i < 16; i++) {
            all.add(service.submit("shared-" + i, i % 2 == 0 ? PowerOperation.ON : PowerOperation.OFF));
            all.add(service.submit("own-" + i, PowerOperation.CYCLE));
        }
        for (CompletableFuture<PowerState> f : all) {
            PowerService.await(f);
        }
        assertEquals(1, driver.bmc("10.0.1.1").maxActive.get(), "one call at a time on the shared BMC");
        assertTrue(driver.maxActive.get() > 1, "different BMCs run in parallel");
        assertTrue(driver.maxActive.get() <= 8, "never more calls than pool threads");
        assertEquals(0, service.pending());
    }

    @Test
    void thePoolBoundsConcurrentDriverCalls() throws Exception {
        service.stop();
        service = service(2, Duration.ofSeconds(10));
        driver.callMillis = 20;
        List<CompletableFuture<PowerState>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            machine("b" + i, "10.0.3." + i);
            all.add(service.submit("b" + i, PowerOperation.QUERY));
        }
        for (CompletableFuture<PowerState> f : all) {
            assertEquals(PowerState.OFF, PowerService.await(f));
        }
        assertEquals(2, driver.maxActive.get());
    }

    @Test
    void pausesHoldNoThread() throws Exception {
        service.stop();
        service = new PowerServiceImpl(registry, new PowerServiceImpl.Options(1, WaitSchedule.parse("0.5,0.5"),
                Duration.ofSeconds(20), 100, 4, 100));
        driver.lag = 1;
        List<CompletableFuture<PowerState>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            machine("p" + i, "10.0.5." + i);
            all.add(service.submit("p" + i, PowerOperation.ON));
        }
        for (CompletableFuture<PowerState> f : all) {
            assertEquals(PowerState.ON, PowerService.await(f));
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        // one pool thread; ten 0.5 s pauses would take 5 s if each held the thread
        assertTrue(millis < 3000, "ten operations with one thread took " + millis + " ms");
    }

    @Test
    void operationsTimeOut() throws Exception {
        service.stop();
        service = service(4, Duration.ofMillis(300));
        driver.callMillis = 200;
        machine("slow", "10.0.4.1");
        PowerFailure failure = assertThrows(PowerFailure.class, () -> service.perform("slow", PowerOperation.ON));
        assertEquals("Failed to complete power action: on of slow did not finish within 0 s", failure.getMessage());
    }

    @Test
    void secretsAreNotHandedOut() throws Exception {
        machine("m6", "10.0.0.6");
        Map<String, String> visible = service.bmc("m6").orElseThrow().settings();
        assertEquals(Map.of("power_address", "10.0.0.6"), visible);
        assertFalse(service.bmc("m6").toString().contains("s3cr3t"));
        assertTrue(service.removeBmc("m6"));
        PowerFailure unknown = assertThrows(PowerFailure.class, () -> service.perform("m6", PowerOperation.QUERY));
        assertEquals("Missing or invalid power setting: no BMC is set for machine 'm6'", unknown.getMessage());
    }

    @Test
    void badSettingsAndMachineIdsAreRejected() {
        PowerFailure missing = assertThrows(PowerFailure.class, () -> service.setBmc("m7", "sim", Map.of()));
        assertEquals("Missing or invalid power setting: power_address is required", missing.getMessage());
        assertThrows(PowerFailure.class, () -> service.setBmc("../etc", "sim", Map.of("power_address", "x")));
        ExtensionNotInstalledException none = assertThrows(ExtensionNotInstalledException.class,
                () -> service.setBmc("m7", "nosuch", Map.of()));
        assertEquals("power driver 'nosuch' is not installed", none.getMessage());
    }

    @Test
    void adHocOperationsNeedNoStoredMachine() throws Exception {
        assertEquals(PowerState.OFF, PowerService.await(
                service.submit("probe", "sim", Map.of("power_address", "10.0.0.9"), PowerOperation.QUERY)));
    }
}
