package io.metalforge.api.power;

import java.util.Map;
import java.util.Objects;

/**
 * How one machine is powered: its driver and settings. Instances handed out by the {@link PowerService} never carry
 * secret values.
 *
 * @param machineId the machine (MAAS system id)
 * @param driver    power driver name, e.g. "ipmi"
 * @param settings  setting values by field name
 */
public record BmcSettings(String machineId, String driver, Map<String, String> settings) {

    public BmcSettings {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(driver, "driver");
        settings = Map.copyOf(settings);
    }

    /** Never prints setting values: some of them may be secrets. */
    @Override
    public String toString() {
        return "BmcSettings[" + machineId + ", " + driver + ", fields=" + settings.keySet() + "]";
    }
}
