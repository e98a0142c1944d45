package io.metalforge.power.ipmi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;
import io.metalforge.power.service.internal.PowerServiceImpl;

/** The IPMI driver (FreeIPMI) against OpenIPMI's ipmi_sim BMCs started by the test on loopback. */
class IpmiPowerDriverTest {

    @TempDir
    static Path work;
    private static IpmiSimulator bmc;
    /** ipmi-chassis-config needs about 1 s against ipmi_sim: 5 s session timeout. */
    private final IpmiPowerDriver driver = new IpmiPowerDriver(null, 5000, Duration.ofSeconds(20),
            mac -> Optional.empty());
    /** For the dead port: give up after 1 s. */
    private final IpmiPowerDriver impatient = new IpmiPowerDriver(null, 1000, Duration.ofSeconds(20),
            mac -> Optional.empty());

    @BeforeAll
    static void startBmc() throws Exception {
        bmc = IpmiSimulator.start(work);
    }

    @AfterAll
    static void stopBmc() {
        if (bmc != null) {
            bmc.close();
        }
    }

    @Test
    void onSetsAOneTimePxeBootThenPowersOnAndOffQueriesFollow() throws Exception {
        Map<String, String> s = bmc.settings();
        driver.powerOff(s);
        assertEquals(PowerState.OFF, driver.query(s));
        driver.powerOn(s);
        assertEquals(PowerState.ON, driver.query(s));
        assertEquals("1", bmc.power());
        assertEquals("pxe", bmc.boot());
        List<String> history = bmc.history();
        assertTrue(history.indexOf("boot pxe") < history.lastIndexOf("power 1"), "PXE first, then on: " + history);

        // on while on: --cycle --on-if-off power-cycles it
        int before = bmc.history().size();
        driver.powerOn(s);
        awaitState(s, PowerState.ON);
        assertTrue(bmc.history().subList(before, bmc.history().size()).contains("power 0"), bmc.history().toString());

        // soft off asks the OS to shut down (ACPI); with no OS behind this chassis it stays on
        s.put("power_off_mode", "soft");
        int beforeSoft = bmc.history().size();
        driver.powerOff(s);
        assertEquals(List.of("shutdown 1"), bmc.history().subList(beforeSoft, bmc.history().size()));
        s.put("power_off_mode", "hard");
        driver.powerOff(s);
        assertEquals(PowerState.OFF, driver.query(s));
        assertEquals("0", bmc.power());
    }

    @Test
    void pxeBootOnceWithEachBootType() throws Exception {
        for (String type : List.of("auto", "legacy", "efi")) {
            Map<String, String> s = bmc.settings();
            s.put("power_boot_type", type);
            driver.setPxeBootOnce(s);
            assertEquals("pxe", bmc.boot());
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        Map<String, String> s = bmc.settings();
        s.put("power_pass", "not-the-pass");
        PowerFailure failure = assertThrows(PowerFailure.class, () -> driver.query(s));
        assertEquals(PowerFailure.Kind.AUTHENTICATION, failure.kind());
        assertEquals("Could not authenticate to node's BMC: ipmipower: password invalid", failure.getMessage());
        PowerFailure on = assertThrows(PowerFailure.class, () -> driver.powerOn(s));
        assertEquals(PowerFailure.Kind.AUTHENTICATION, on.kind(), "an auth failure setting boot flags is fatal");
        assertFalse(on.getMessage().contains("not-the-pass"));
        s.put("power_user", "nobody");
        assertEquals("Could not authenticate to node's BMC: ipmipower: username invalid",
                assertThrows(PowerFailure.class, () -> driver.query(s)).getMessage());
    }

    @Test
    void passwordsWithBlanksFallBackToTheCommandLine() throws Exception {
        Map<String, String> s = bmc.settings();
        s.put("power_pass", "has blank");
        assertEquals(PowerFailure.Kind.AUTHENTICATION,
                assertThrows(PowerFailure.class, () -> driver.query(s)).kind());
    }

    @Test
    void badSettingsAreRejectedBeforeAnyCommand() throws PowerFailure {
        Map<String, String> s = bmc.settings();
        s.put("cipher_suite_id", "99");
        assertEquals("Missing or invalid power setting: cipher_suite_id must be one of 17, 3, '', 8, 12",
                assertThrows(PowerFailure.class, () -> driver.query(s)).getMessage());
        Map<String, String> option = bmc.settings();
        option.put("power_address", "--help");
        assertEquals(PowerFailure.Kind.SETTING, assertThrows(PowerFailure.class, () -> driver.query(option)).kind());
        Map<String, String> byMac = bmc.settings();
        byMac.remove("power_address");
        byMac.put("mac_address", "52:54:00:aa:bb:cc");
        assertEquals("Missing or invalid power setting: power_address is empty and mac_address is not in the ARP table",
                assertThrows(PowerFailure.class, () -> driver.query(byMac)).getMessage());
        IpmiPowerDriver viaArp = new IpmiPowerDriver(null, 1000, Duration.ofSeconds(20),
                mac -> mac.equals("52:54:00:aa:bb:cc") ? Optional.of(bmc.address()) : Optional.empty());
        assertTrue(assertDoesNotFail(() -> viaArp.query(byMac)));
    }

    @Test
    void missingToolIsReported() {
        IpmiPowerDriver nowhere = new IpmiPowerDriver(work.resolve("no-such-dir"), 1000, Duration.ofSeconds(5),
                mac -> Optional.empty());
        PowerFailure failure = assertThrows(PowerFailure.class, () -> nowhere.query(bmc.settings()));
        assertEquals(PowerFailure.Kind.MISSING_TOOL, failure.kind());
        assertTrue(failure.getMessage().contains("freeipmi-tools"), failure.getMessage());
    }

    @Test
    void deadPortIsAConnectionFailureAfterTheServiceRetries() throws Exception {
        int dead;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        PowerServiceImpl service = new PowerServiceImpl(new SingleDriverRegistry(impatient),
                PowerServiceImpl.Options.of(4, "0.05,0.05,0.05", Duration.ofSeconds(30)));
        try {
            Map<String, String> s = bmc.settings();
            s.put("power_address", "127.0.0.1:" + dead);
            service.setBmc("gone", "ipmi", s);
            long start = System.nanoTime();
            PowerFailure failure = assertThrows(PowerFailure.class, () -> service.perform("gone", PowerOperation.ON));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(PowerFailure.Kind.CONNECTION, failure.kind());
            assertEquals("Could not contact node's BMC: ipmipower: connection timeout", failure.getMessage());
            // three attempts, each waiting out the 1 s session timeout (the boot-flag step too)
            assertTrue(millis >= 3000, "three attempts took " + millis + " ms");
        } finally {
            service.stop();
        }
    }

    @Test
    void severalSimulatorsDrivenAtOnceThroughTheService() throws Exception {
        List<IpmiSimulator> bmcs = new ArrayList<>();
        PowerServiceImpl service = new PowerServiceImpl(new SingleDriverRegistry(driver),
                PowerServiceImpl.Options.of(8, "0.2,0.5,1,2,4", Duration.ofSeconds(90)));
        try {
            for (int i = 0; i < 4; i++) {
                bmcs.add(IpmiSimulator.start(work));
                service.setBmc("node" + i, "ipmi", bmcs.get(i).settings());
            }
            List<CompletableFuture<PowerState>> cycles = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                cycles.add(service.submit("node" + i, PowerOperation.CYCLE));
            }
            for (CompletableFuture<PowerState> cycle : cycles) {
                assertEquals(PowerState.ON, PowerService.await(cycle));
            }
            for (int i = 0; i < 4; i++) {
                assertEquals("1", bmcs.get(i).power());
                assertEquals("pxe", bmcs.get(i).boot());
                assertEquals(PowerState.ON, service.perform("node" + i, PowerOperation.QUERY));
                assertEquals(PowerState.OFF, service.perform("node" + i, PowerOperation.OFF));
                assertEquals("0", bmcs.get(i).power());
            }
        } finally {
            service.stop();
            bmcs.forEach(IpmiSimulator::close);
        }
    }

    /** ipmi_sim applies a power cycle after a pause, like a real chassis: poll as the service would. */
    private void awaitState(Map<String, String> s, PowerState target) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (driver.query(s) != target) {
            assertTrue(System.nanoTime() < end, "BMC never reached " + target);
            Thread.sleep(100);
        }
    }

    private interface Call {
        PowerState run() throws PowerFailure;
    }

    private static boolean assertDoesNotFail(Call call) throws PowerFailure {
        PowerState state = call.run();
        return state == PowerState.ON || state == PowerState.OFF;
    }
}
