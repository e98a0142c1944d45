package io.metalforge.power.redfish.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.power.PowerState;

/**
 * Debian's redfishtool (a real DMTF Redfish client) against the project's Redfish test server: it must read the
 * service root, the Systems collection and a ComputerSystem, see what the driver changed, and be refused with a
 * wrong password. Needs the apt package redfishtool.
 */
class RedfishtoolInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out) {
    }

    @BeforeAll
    static void needsRedfishtool() {
        try {
            Process p = new ProcessBuilder("redfishtool", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("redfishtool -V failed; install it with: apt-get install -y redfishtool");
            }
        } catch (IOException | InterruptedException e) {
            fail("redfishtool is not installed; install it with: apt-get install -y redfishtool");
        }
    }

    static Result redfishtool(RedfishTestServer bmc, String password, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redfishtool", "-r", "127.0.0.1:" + bmc.port(), "-S", "Never",
                "-u", "admin", "-p", password, "-T", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("redfishtool did not finish: " + command);
        }
        return new Result(p.exitValue(), out);
    }

    static JsonNode json(Result result) throws IOException {
        assertEquals(0, result.exit(), result.out());
        return JSON.readTree(result.out());
    }

    @Test
    void redfishtoolReadsTheServerAndSeesDriverChanges() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().systems(2).start()) {
            JsonNode root = json(redfishtool(bmc, "secret", "root"));
            assertEquals("/redfish/v1/Systems", root.path("Systems").path("@odata.id").asText());
            assertEquals("1.6.0", root.path("RedfishVersion").asText());

            JsonNode systems = json(redfishtool(bmc, "secret", "Systems"));
            assertEquals(2, systems.path("Members@odata.count").asInt());

            Result list = redfishtool(bmc, "secret", "Systems", "list");
            assertEquals(0, list.exit(), list.out());
            assertTrue(list.out().contains("/redfish/v1/Systems/node2"), list.out());

            JsonNode system = json(redfishtool(bmc, "secret", "Systems", "-I", "1", "get"));
            assertEquals("Off", system.path("PowerState").asText());
            assertEquals("#ComputerSystem.v1_10_0.ComputerSystem", system.path("@odata.type").asText());

            RedfishPowerDriver driver = new RedfishPowerDriver(Duration.ofSeconds(5), Duration.ofMillis(10));
            Map<String, String> s = RedfishPowerDriverTest.settings(bmc.address());
            driver.powerOff(s);
            JsonNode boot = json(redfishtool(bmc, "secret", "Systems", "-I", "1", "-P", "Boot", "get"));
            assertEquals("Once", boot.path("Boot").path("BootSourceOverrideEnabled").asText(), boot.toString());
            assertEquals("Pxe", boot.path("Boot").path("BootSourceOverrideTarget").asText());
            driver.powerOn(s);
            RedfishPowerDriverTest.awaitState(driver, s, PowerState.ON);
            JsonNode power = json(redfishtool(bmc, "secret", "Systems", "-I", "1", "-P", "PowerState", "get"));
            assertEquals("On", power.path("PowerState").asText());

            Result refused = redfishtool(bmc, "not-the-password", "Systems", "-I", "1", "get");
            assertNotEquals(0, refused.exit(), refused.out());
        }
    }

    @Test
    void redfishtoolWritesAreHonouredToo() throws Exception {
        try (RedfishTestServer bmc = RedfishTestServer.builder().start()) {
            Result override = redfishtool(bmc, "secret", "Systems", "-I", "1", "setBootOverride", "Once", "Pxe");
            assertEquals(0, override.exit(), override.out());
            assertEquals("Once", bmc.system("1").bootEnabled);
            Result on = redfishtool(bmc, "secret", "Systems", "-I", "1", "reset", "On");
            assertEquals(0, on.exit(), on.out());
            RedfishPowerDriver driver = new RedfishPowerDriver(Duration.ofSeconds(5), Duration.ofMillis(10));
            RedfishPowerDriverTest.awaitState(driver, RedfishPowerDriverTest.settings(bmc.address()), PowerState.ON);
            assertEquals(List.of("Pxe"), bmc.system("1").boots);
        }
    }
}
