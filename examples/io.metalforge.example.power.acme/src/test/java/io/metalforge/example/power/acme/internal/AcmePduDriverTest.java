package io.metalforge.example.power.acme.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerState;

class AcmePduDriverTest {

    private final AcmePduDriver driver = new AcmePduDriver();
    private final Map<String, String> settings = Map.of("power_address", "10.0.0.9", "outlet", "2", "power_pass",
            "s3cret");

    @Test
    void onOffQuery() throws PowerFailure {
        assertEquals(PowerState.OFF, driver.query(settings));
        driver.powerOn(settings);
        assertEquals(PowerState.ON, driver.query(settings));
        driver.powerReset(settings);
        driver.powerOff(settings);
        assertEquals(PowerState.OFF, driver.query(settings));
    }

    @Test
    void failuresAreTypedAndNeverShowTheSecret() {
        PowerFailure noAddress = assertThrows(PowerFailure.class, () -> driver.powerOn(Map.of("power_pass", "x")));
        assertEquals(PowerFailure.Kind.SETTING, noAddress.kind());
        assertEquals("Missing or invalid power setting: power_address is required", noAddress.getMessage());

        PowerFailure badOutlet = assertThrows(PowerFailure.class,
                () -> driver.powerOn(Map.of("power_address", "a", "outlet", "9", "power_pass", "s3cret")));
        assertFalse(badOutlet.getMessage().contains("s3cret"));

        assertEquals(PowerFailure.Kind.AUTHENTICATION,
                assertThrows(PowerFailure.class, () -> driver.query(Map.of("power_address", "a"))).kind());
        assertEquals(PowerFailure.Kind.ACTION,
                assertThrows(PowerFailure.class, () -> driver.setPxeBootOnce(settings)).kind());
    }

    @Test
    void descriptorMarksThePasswordSecret() {
        assertEquals("acme-pdu", driver.descriptor().name());
        assertEquals(true, driver.descriptor().fields().stream()
                .filter(f -> f.name().equals("power_pass")).findFirst().orElseThrow().secret());
    }
}
