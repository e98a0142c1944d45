package io.metalforge.power.ipmi.internal;

import java.util.List;
import java.util.Optional;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverRegistry;

/** A registry holding one driver, standing in for the platform whiteboard outside OSGi. */
record SingleDriverRegistry(PowerDriver driver) implements PowerDriverRegistry {

    @Override
    public ExtensionFamily family() {
        return ExtensionFamily.POWER_DRIVER;
    }

    @Override
    public List<String> names() {
        return List.of(driver.descriptor().name());
    }

    @Override
    public List<ExtensionInfo> describe() {
        return List.of(new ExtensionInfo(family(), driver.descriptor().name(), driver.descriptor().description(),
                "test", "0"));
    }

    @Override
    public Optional<PowerDriver> find(String name) {
        return driver.descriptor().name().equals(name) ? Optional.of(driver) : Optional.empty();
    }
}
