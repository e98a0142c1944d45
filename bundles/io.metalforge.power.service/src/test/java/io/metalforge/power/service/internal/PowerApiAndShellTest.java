package io.metalforge.power.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.metalforge.api.http.TestApiRequest;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.power.PowerState;
import io.metalforge.example.power.acme.internal.AcmePduDriver;

/**
 * The power types handler and Gogo commands of the power service, called as the dispatcher and Gogo would (the
 * machine power operations are served by the machines bundle and tested there).
 */
class PowerApiAndShellTest {

    private final SimulatedBmcDriver sim = new SimulatedBmcDriver();
    private final TestRegistry registry = new TestRegistry().add(sim).add(new AcmePduDriver());
    private final PowerServiceImpl service = new PowerServiceImpl(registry, PowerServiceImpl.Options.of(4,
            "0.01,0.01,0.01", Duration.ofSeconds(10)));

    @AfterEach
    void stop() {
        service.stop();
    }

    private static TestApiRequest request(String method, String op, String id, Map<String, List<String>> params) {
        return new TestApiRequest(method, op, Map.of("system_id", id), params);
    }

    @Test
    @SuppressWarnings("unchecked")
    void describePowerTypesListsInstalledDriversAsMaasDoes() throws ApiException {
        RackControllersPowerTypesHandler handler = new RackControllersPowerTypesHandler(registry);
        assertEquals("rackcontrollers/", handler.path());
        ApiResponse response = handler.handle(RackControllersPowerTypesHandler.DESCRIBE,
                new TestApiRequest("GET", "describe_power_types", Map.of(), Map.of()));
        List<Map<String, Object>> types = (List<Map<String, Object>>) response.body();
        assertEquals(List.of("acme-pdu", "sim"), types.stream().map(t -> t.get("name")).toList());
        Map<String, Object> acme = types.get(0);
        assertEquals("power", acme.get("driver_type"));
        assertEquals(true, acme.get("chassis"));
        List<Map<String, Object>> fields = (List<Map<String, Object>>) acme.get("fields");
        Map<String, Object> outlet = fields.get(1);
        assertEquals("outlet", outlet.get("name"));
        assertEquals("choice", outlet.get("field_type"));
        assertEquals(List.of("1", "1"), ((List<Object>) outlet.get("choices")).get(0));
        assertEquals("node", outlet.get("scope"));
        assertEquals(true, fields.get(2).get("secret"));
        assertEquals("password", fields.get(2).get("field_type"));
    }

    @Test
    void gogoCommandsListDriversAndRunOperations() throws Exception {
        String drivers = new PowerDriversCommand(registry).powerdrivers();
        assertTrue(drivers.contains("acme-pdu - ACME switched PDU (queryable, chassis)"), drivers);
        assertTrue(drivers.contains("outlet"), drivers);
        assertTrue(drivers.contains("choices=1|2|3|4"), drivers);
        assertTrue(drivers.lines().anyMatch(l -> l.contains("power_pass") && l.contains("secret")), drivers);

        PowerCommand command = new PowerCommand(service);
        assertEquals("query shell: off\n", command.power("query", "power_type=sim", "power_address=10.2.2.2"));
        assertEquals("on shell: on\n", command.power("on", "power_type=sim", "power_address=10.2.2.2"));
        assertEquals("cycle shell: on\n", command.power("cycle", "power_type=sim", "power_address=10.2.2.2"));
        assertEquals("off shell: off\n", command.power("off", "power_type=sim", "power_address=10.2.2.2"));
        service.setBmc("m9", "sim", Map.of("power_address", "10.2.2.9"));
        assertEquals("on m9: on\n", command.power("on", "m9"));
        assertEquals("power driver 'ghost' is not installed\n", command.power("query", "power_type=ghost"));
        String missing = command.power("query", "power_type=sim", "power_pass=s3cr3t");
        assertEquals("Missing or invalid power setting: power_address is required\n", missing);
        assertFalse(missing.contains("s3cr3t"));
        assertTrue(command.power("explode", "m9").startsWith("unknown operation 'explode'"));

        PowerBmcCommand bmc = new PowerBmcCommand(service);
        String set = bmc.powerbmc("m10", "power_type=sim", "power_address=10.2.2.10", "power_pass=s3cr3t");
        assertEquals("m10: sim\n    power_address = 10.2.2.10\n", set);
        assertEquals(set, bmc.powerbmc("m10"));
        assertEquals("on m10: on\n", command.power("on", "m10"));
        assertEquals("removed\n", bmc.powerbmc("m10", "--remove"));
        assertEquals("no BMC is set for machine 'm10'\n", bmc.powerbmc("m10"));
        assertEquals(PowerCommand.USAGE, command.power("query"));
        // both commands read power_type=<driver> [name=value]... the same way, and say the same when it is wrong
        assertEquals("expected name=value, not 'oops'\n" + PowerCommand.USAGE,
                command.power("on", "power_type=sim", "oops"));
        assertEquals("expected name=value, not 'oops'\n" + PowerBmcCommand.USAGE,
                bmc.powerbmc("m11", "power_type=sim", "oops"));
        assertEquals("power_type=<driver> is required; see powerdrivers\n" + PowerCommand.USAGE,
                command.power("on", "power_address=10.2.2.2"));
        assertEquals("power_type=<driver> is required; see powerdrivers\n" + PowerBmcCommand.USAGE,
                bmc.powerbmc("m11", "power_address=10.2.2.11"));
    }
}
