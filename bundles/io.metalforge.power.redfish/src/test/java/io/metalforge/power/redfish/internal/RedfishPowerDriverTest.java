package io.metalforge.power.redfish.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerState;
import io.metalforge.api.power.http.SelfSignedKeystore;

/** The Redfish driver against the project's Redfish test server on loopback. */
class RedfishPowerDriverTest {

    private final RedfishPowerDriver driver = new RedfishPowerDriver(Duration.ofSeconds(5), Duration.ofMillis(10));

    static Map<String, String> settings(String address) {
        Map<String, String> s = new HashMap<>();
        s.put("power_address", address);
        s.put("power_user", "admin");
        s.put("power_pass", "secret");
        return s;
    }

    /** What the power service does after an action: query until the target state. */
    static void awaitState(RedfishPowerDriver driver, Map<String, String> s, PowerState target) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (driver.query(s) != target) {
            assertTrue(System.nanoTime() < end, "the system never reached " + target);
            Thread.sleep(20);
        }
    }

    @Test
    void fullOnOffPxeCycle() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().start()) {
            Map<String, String> s = settings(bmc.address());
            assertEquals(PowerState.OFF, driver.query(s));
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertEquals(List.of("Pxe"), bmc.system("1").boots, "booted once from the network");
            assertEquals("Disabled", bmc.system("1").bootEnabled, "the Once override was consumed");

            driver.powerOff(s);
            awaitState(driver, s, PowerState.OFF);
            assertEquals("Once", bmc.system("1").bootEnabled, "off leaves the next boot on PXE, as MAAS does");

            // on while on: ForceOff, wait, PXE, On
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertEquals(List.of("Pxe", "Pxe", "Pxe"), bmc.system("1").boots);
            assertTrue(bmc.log.contains("Reset ForceOff"));

            driver.powerReset(s);
            Thread.sleep(300);
            awaitState(driver, s, PowerState.ON);
            assertEquals(4, bmc.system("1").boots.size());
            assertEquals("Pxe", bmc.system("1").boots.get(3));
        }
    }

    @Test
    void httpsWithASelfSignedCertificateForAnotherNameIsAccepted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().tls(SelfSignedKeystore.serverContext(dir)).start()) {
            // no scheme: https is assumed, as MAAS does
            Map<String, String> s = settings("127.0.0.1:" + bmc.port());
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertEquals(List.of("Pxe"), bmc.system("1").boots);
        }
    }

    @Test
    void nodeIdIsDiscoveredOrGiven() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().systems(2).start()) {
            Map<String, String> s = settings(bmc.address());
            driver.setPxeBootOnce(s);
            assertEquals("Once", bmc.system("1").bootEnabled, "first member of the Systems collection");
            s.put("node_id", "node2");
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertEquals(List.of("Pxe"), bmc.system("node2").boots);
            assertEquals("Off", bmc.system("1").power);
            s.put("node_id", "../../etc");
            assertEquals(PowerFailure.Kind.SETTING, assertThrows(PowerFailure.class, () -> driver.query(s)).kind());
        }
    }

    @Test
    void bootChangesGoToTheSettingsObjectWhenThereIsOne() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().settingsObject().start()) {
            Map<String, String> s = settings(bmc.address());
            driver.setPxeBootOnce(s);
            assertEquals("Disabled", bmc.system("1").bootEnabled, "not applied before the next boot");
            assertTrue(bmc.log.contains("PATCH /redfish/v1/Systems/1/Settings"));
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertEquals(List.of("Pxe"), bmc.system("1").boots);
        }
    }

    @Test
    void trailingSlashRetryAndRedirectsForEveryMethod() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().slashOnly().start()) {
            Map<String, String> s = settings(bmc.address());
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertEquals(List.of("Pxe"), bmc.system("1").boots);
        }
        try (RedfishTestServer bmc = RedfishTestServer.builder().start()) {
            Map<String, String> s = settings(bmc.address() + "/moved");
            driver.powerOn(s);
            awaitState(driver, s, PowerState.ON);
            assertTrue(bmc.log.contains("POST /moved/redfish/v1/Systems/1/Actions/ComputerSystem.Reset"));
            assertTrue(bmc.log.contains("PATCH /moved/redfish/v1/Systems/1"));
            assertTrue(bmc.log.contains("PATCH /redfish/v1/Systems/1"));
            assertEquals(List.of("Pxe"), bmc.system("1").boots);
        }
    }

    @Test
    void aStaleEtagIsFetchedAgainAndBusyAnswersAreRetried() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().start()) {
            Map<String, String> s = settings(bmc.address());
            bmc.changeBeforeNextPatch = true;
            driver.setPxeBootOnce(s);
            assertEquals("Once", bmc.system("1").bootEnabled);
            assertEquals(2, bmc.log.stream().filter(l -> l.equals("PATCH /redfish/v1/Systems/1")).count(),
                    "412 on the first PATCH, success with the fresh etag");

            bmc.unavailable.set(3);
            assertEquals(PowerState.OFF, driver.query(s));
            bmc.unavailable.set(10);
            PowerFailure busy = assertThrows(PowerFailure.class, () -> driver.query(s));
            assertEquals("Failed to complete power action: GET /redfish/v1/Systems answered HTTP 503",
                    busy.getMessage());
            assertTrue(busy.kind().retryable());
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailureWithoutRetries() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().start()) {
            Map<String, String> s = settings(bmc.address());
            s.put("power_pass", "wrong-pass-123");
            PowerFailure failure = assertThrows(PowerFailure.class, () -> driver.powerOn(s));
            assertEquals(PowerFailure.Kind.AUTHENTICATION, failure.kind());
            assertEquals("Could not authenticate to node's BMC: GET /redfish/v1/Systems answered HTTP 401",
                    failure.getMessage());
            assertFalse(failure.getMessage().contains("wrong-pass-123"));
            assertEquals(1, bmc.requests.get());
        }
    }

    @Test
    void deadPortIsAConnectionFailureAfterRetries() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        Map<String, String> s = settings("http://127.0.0.1:" + dead);
        long start = System.nanoTime();
        PowerFailure failure = assertThrows(PowerFailure.class, () -> driver.query(s));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(PowerFailure.Kind.CONNECTION, failure.kind());
        assertTrue(failure.getMessage().startsWith("Could not contact node's BMC: GET /redfish/v1/Systems: "),
                failure.getMessage());
        // 5 attempts with backoff 0, 10, 30, 70, 150 ms
        assertTrue(millis >= 250, "retried with backoff, took " + millis + " ms");
    }

    @Test
    void addressesGetHttpsAndBadOnesAreRejected() throws Exception {
        assertEquals("https://10.0.0.5:8443/", RedfishClient.baseOf("10.0.0.5:8443").toString());
        assertEquals("http://h/prefix/", RedfishClient.baseOf("http://h/prefix").toString());
        PowerFailure bad = assertThrows(PowerFailure.class,
                () -> driver.query(settings("ftp://10.0.0.5")));
        assertEquals("Missing or invalid power setting: power_address must be a host[:port] or an http(s) URL",
                bad.getMessage());
        Map<String, String> noPass = settings("10.0.0.5");
        noPass.remove("power_pass");
        assertEquals("Missing or invalid power setting: power_pass is required",
                assertThrows(PowerFailure.class, () -> driver.query(noPass)).getMessage());
    }
}
