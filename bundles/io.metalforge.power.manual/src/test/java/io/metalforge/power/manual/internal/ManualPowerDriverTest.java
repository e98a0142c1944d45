package io.metalforge.power.manual.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerState;

class ManualPowerDriverTest {

    /** Collects what the driver logs. */
    static final class Recorder implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "recorder";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(msgSupplier.get());
        }
    }

    @Test
    void operationsTellTheOperatorAndQueryIsUnknown() throws PowerFailure {
        Recorder log = new Recorder();
        ManualPowerDriver driver = new ManualPowerDriver(log);
        Map<String, String> settings = Map.of(PowerDriver.SYSTEM_ID, "abc123");
        driver.powerOn(settings);
        driver.powerOff(settings);
        driver.powerReset(settings);
        assertEquals(List.of("You need to power on abc123 manually", "You need to power off abc123 manually",
                "You need to reset abc123 manually"), log.lines);
        assertEquals(PowerState.UNKNOWN, driver.query(settings));
    }

    @Test
    void descriptorIsMaasManualAndTakesNoSettings() {
        ManualPowerDriver driver = new ManualPowerDriver();
        assertEquals("manual", driver.descriptor().name());
        assertEquals("Manual", driver.descriptor().description());
        assertFalse(driver.descriptor().queryable());
        assertTrue(driver.descriptor().fields().isEmpty());
        PowerFailure failure = assertThrows(PowerFailure.class, () -> driver.powerOn(Map.of("power_address", "x")));
        assertEquals(PowerFailure.Kind.SETTING, failure.kind());
    }
}
