package io.metalforge.power.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerState;
import io.metalforge.example.power.acme.internal.AcmePduDriver;

/**
 * The example vendor driver (io.metalforge.example.power.acme) through the service: usable as soon as the registry
 * has it, and operations fail with "power driver 'acme-pdu' is not installed" once it is gone, also for a machine
 * configured while it was there. The registry stands in for the platform whiteboard; the OSGi integration test of
 * the distribution drops the real bundle into the deploy folder.
 */
class HotDeployTest {

    /** Pauses long enough (300 ms) after the power action for the test to remove the driver. */
    private static PowerServiceImpl slowService(TestRegistry registry) {
        return new PowerServiceImpl(registry, new PowerServiceImpl.Options(2, WaitSchedule.parse("0.3"),
                Duration.ofSeconds(5), 10, 4, 10));
    }

    @Test
    void vendorDriverIsUsableAtOnceAndFailsClearlyWhenRemoved() throws Exception {
        TestRegistry registry = new TestRegistry();
        PowerServiceImpl service = new PowerServiceImpl(registry, new PowerServiceImpl.Options(4,
                WaitSchedule.parse("0.01,0.01"), Duration.ofSeconds(5), 100, 8, 100));
        try {
            Map<String, String> settings = Map.of("power_address", "pdu1.example", "outlet", "2", "power_pass", "x");
            assertThrows(ExtensionNotInstalledException.class, () -> service.setBmc("m1", "acme-pdu", settings));

            registry.add(new AcmePduDriver());
            service.setBmc("m1", "acme-pdu", settings);
            assertEquals(PowerState.ON, service.perform("m1", PowerOperation.ON));
            assertEquals(PowerState.ON, service.perform("m1", PowerOperation.QUERY));
            assertEquals(PowerState.OFF, service.perform("m1", PowerOperation.OFF));

            registry.remove("acme-pdu");
            CompletableFuture<PowerState> after = service.submit("m1", PowerOperation.ON);
            ExecutionException failure = assertThrows(ExecutionException.class, after::get);
            assertEquals("power driver 'acme-pdu' is not installed", failure.getCause().getMessage());
            assertEquals(ExtensionNotInstalledException.class, failure.getCause().getClass());

            // removed while an operation is under way: the next step of the run finds it gone
            registry.add(new AcmePduDriver());
            CompletableFuture<PowerState> running = slowService(registry).submit("probe", "acme-pdu", settings,
                    PowerOperation.ON);
            registry.remove("acme-pdu");
            ExecutionException midway = assertThrows(ExecutionException.class, running::get);
            assertEquals("power driver 'acme-pdu' is not installed", midway.getCause().getMessage());
        } finally {
            service.stop();
        }
    }
}
