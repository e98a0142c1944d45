package io.metalforge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.power.BmcSettings;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerField.Choice;
import io.metalforge.api.power.PowerField.FieldType;
import io.metalforge.api.power.PowerField.Scope;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerSettings;

class PowerSettingsTest {

    private static final PowerDriverDescriptor SCHEMA = new PowerDriverDescriptor("t", "Test", false, false, true,
            List.of(new PowerField("power_address", "Address", true, FieldType.STRING, List.of(), "", Scope.BMC, false),
                    new PowerField("power_pass", "Password", false, FieldType.PASSWORD, List.of(), "", Scope.BMC, true),
                    new PowerField("mode", "Mode", false, FieldType.CHOICE,
                            List.of(new Choice("soft", "Soft"), new Choice("hard", "Hard")), "hard", Scope.BMC, false),
                    new PowerField("flags", "Flags", false, FieldType.MULTIPLE_CHOICE,
                            List.of(new Choice("a", "A"), new Choice("b", "B"), new Choice("", "none")), "a",
                            Scope.BMC, false),
                    new PowerField("mac_address", "MAC", false, FieldType.MAC_ADDRESS, List.of(), "", Scope.NODE,
                            false)));

    @Test
    void defaultsAreFilledIn() throws PowerFailure {
        Map<String, String> resolved = PowerSettings.resolve(SCHEMA, Map.of("power_address", "10.0.0.1"));
        assertEquals("hard", resolved.get("mode"));
        assertEquals("a", resolved.get("flags"));
        assertFalse(resolved.containsKey("power_pass"));
    }

    @Test
    void badSettingsAreRejectedWithoutQuotingValues() {
        assertMessage("Missing or invalid power setting: power_address is required", Map.of());
        assertMessage("Missing or invalid power setting: mode must be one of soft, hard",
                Map.of("power_address", "x", "mode", "gentle"));
        assertMessage("Missing or invalid power setting: flags takes a comma-separated list of a, b, ''",
                Map.of("power_address", "x", "flags", "a,zz"));
        assertMessage("Missing or invalid power setting: mac_address must be a MAC address like 52:54:00:12:34:56",
                Map.of("power_address", "x", "mac_address", "nope"));
        PowerFailure secret = assertThrows(PowerFailure.class,
                () -> PowerSettings.resolve(SCHEMA, Map.of("power_address", "x", "power_pass", "s3cr3t\nx")));
        assertFalse(secret.getMessage().contains("s3cr3t"));
        PowerFailure unknown = assertThrows(PowerFailure.class,
                () -> PowerSettings.resolve(SCHEMA, Map.of("power_address", "x", "colour", "red")));
        assertTrue(unknown.getMessage().contains("unknown setting 'colour'"));
        assertEquals(PowerFailure.Kind.SETTING, unknown.kind());
        PowerFailure tooLong = assertThrows(PowerFailure.class,
                () -> PowerSettings.resolve(SCHEMA, Map.of("power_address", "x".repeat(2000))));
        assertTrue(tooLong.getMessage().contains("longer than 1024"));
    }

    @Test
    void secretsAreLeftOutOfVisibleSettingsAndToString() {
        Map<String, String> visible = PowerSettings.withoutSecrets(SCHEMA,
                Map.of("power_address", "x", "power_pass", "s3cr3t"));
        assertEquals(Map.of("power_address", "x"), visible);
        assertFalse(new BmcSettings("m1", "t", Map.of("power_pass", "s3cr3t")).toString().contains("s3cr3t"));
    }

    @Test
    void operationsParseFromLabels() {
        assertEquals(PowerOperation.PXE_ONCE, PowerOperation.parse("pxe-once").orElseThrow());
        assertEquals("pxe-once", PowerOperation.PXE_ONCE.label());
        assertTrue(PowerOperation.parse("explode").isEmpty());
    }

    private static void assertMessage(String expected, Map<String, String> settings) {
        PowerFailure failure = assertThrows(PowerFailure.class, () -> PowerSettings.resolve(SCHEMA, settings));
        assertEquals(expected, failure.getMessage());
    }
}
