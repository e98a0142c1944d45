package io.metalforge.power.ipmi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.power.service.internal.PowerServiceImpl;

/**
 * IPMI settings that can never work are refused when saved (as the machines API's PUT machines/{id}/ with
 * power_parameters_* saves them), with MAAS-style field errors and nothing stored; settings at the limits are accepted.
 */
class IpmiSettingsValidationTest {

    private final PowerServiceImpl service = new PowerServiceImpl(
            new SingleDriverRegistry(new IpmiPowerDriver(null, 0, Duration.ofSeconds(5), ArpTable.SYSTEM)),
            PowerServiceImpl.Options.of(2, "0.01", Duration.ofSeconds(5)));

    @AfterEach
    void stop() {
        service.stop();
    }

    /**
     * Saves the settings as the machines API's PUT does, and names a refusal's field as that API answers it
     * ({@code power_parameters_<setting>}, MAAS's form field).
     */
    private void save(String id, Map<String, String> parameters) throws ApiException {
        try {
            service.setBmc(id, "ipmi", new LinkedHashMap<>(parameters));
        } catch (PowerFailure e) {
            throw ApiException.validation(Map.of(e.field().map(f -> "power_parameters_" + f)
                    .orElse("power_parameters"), List.of(e.getMessage())));
        }
    }

    private ApiException refused(String id, Map<String, String> parameters) {
        ApiException e = assertThrows(ApiException.class, () -> save(id, parameters));
        assertEquals(400, e.status());
        assertTrue(service.bmc(id).isEmpty(), "nothing stored for " + id);
        return e;
    }

    @Test
    void ipmi20PasswordOverTwentyCharactersIsAFieldError() {
        String pass = "abcdefghijklmnopqrstuvw"; // 23
        ApiException e = refused("m1", Map.of("power_address", "10.0.0.7", "power_user", "maas", "power_pass", pass));
        assertEquals(Map.of("power_parameters_power_pass", List.of("Missing or invalid power setting: power_pass is "
                + "longer than 20 characters, the most IPMI 2.0 allows")), e.fieldErrors());
        assertFalse(e.fieldErrors().toString().contains(pass), "the secret is never quoted");
    }

    @Test
    void limitsFollowTheIpmiVersionAndTheFieldFormats() throws Exception {
        save("ok20", Map.of("power_address", "10.0.0.7", "power_user", "maas", "power_pass", "a".repeat(20)));
        assertTrue(service.bmc("ok20").isPresent());
        save("okport", Map.of("power_address", "127.0.0.1:9623", "power_pass", "x",
                "k_g", "0x" + "0123456789abcdef0123456789abcdef01234567"));
        save("okv6", Map.of("power_address", "[fe80::1%eth0]", "k_g", "twenty-chars-exactly"));

        assertEquals(List.of("power_parameters_power_pass"), List.copyOf(refused("v15", Map.of("power_driver", "LAN",
                "power_address", "10.0.0.7", "power_pass", "a".repeat(17))).fieldErrors().keySet()));
        assertEquals(Map.of("power_parameters_power_user", List.of("Missing or invalid power setting: power_user is "
                + "longer than 16 characters, the most IPMI allows")),
                refused("user", Map.of("power_address", "10.0.0.7", "power_user", "u".repeat(17))).fieldErrors());
        assertEquals(List.of("power_parameters_k_g"), List.copyOf(refused("kg", Map.of("power_address", "10.0.0.7",
                "k_g", "0xnothex")).fieldErrors().keySet()));
        assertEquals(List.of("power_parameters_k_g"), List.copyOf(refused("kg2", Map.of("power_address", "10.0.0.7",
                "k_g", "k".repeat(21))).fieldErrors().keySet()));
        assertEquals(Map.of("power_parameters_power_address", List.of("Missing or invalid power setting: "
                + "power_address must be a host name or an IP address, optionally with :port")),
                refused("addr", Map.of("power_address", "10.0.0.7 -o /tmp/x")).fieldErrors());
        // the schema's own checks name their field the same way
        assertEquals(Map.of("power_parameters_power_driver", List.of("Missing or invalid power setting: "
                + "power_driver must be one of LAN, LAN_2_0")),
                refused("drv", Map.of("power_driver", "LAN_3"))
                        .fieldErrors());
    }
}
