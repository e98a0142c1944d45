package io.metalforge.power.service.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverRegistry;

/**
 * The registry as the platform's whiteboard behaves (a driver is visible as soon as it is added, gone as soon as it
 * is removed), without an OSGi framework; the OSGi hot-deploy test of the distribution covers the real one.
 */
final class TestRegistry implements PowerDriverRegistry {

    private final Map<String, PowerDriver> drivers = new ConcurrentSkipListMap<>();

    TestRegistry add(PowerDriver driver) {
        drivers.put(driver.descriptor().name(), driver);
        return this;
    }

    void remove(String name) {
        drivers.remove(name);
    }

    @Override
    public ExtensionFamily family() {
        return ExtensionFamily.POWER_DRIVER;
    }

    @Override
    public List<String> names() {
        return List.copyOf(drivers.keySet());
    }

    @Override
    public List<ExtensionInfo> describe() {
        return drivers.values().stream().map(d -> new ExtensionInfo(family(), d.descriptor().name(),
                d.descriptor().description(), "test", "0")).toList();
    }

    @Override
    public Optional<PowerDriver> find(String name) {
        return Optional.ofNullable(drivers.get(name));
    }
}
