package io.metalforge.power.service.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code power_type=<driver> [name=value]...} part of a power shell command: which driver, with which settings.
 * {@code metalforge:power} and {@code metalforge:powerbmc} read it the same way.
 */
record BmcArguments(String driver, Map<String, String> settings) {

    /** The arguments from {@code args[from]} on; an {@link IllegalArgumentException} says what is wrong. */
    static BmcArguments parse(String[] args, int from) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=value, not '" + args[i] + "'");
            }
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        String driver = settings.remove("power_type");
        if (driver == null || driver.isEmpty()) {
            throw new IllegalArgumentException("power_type=<driver> is required; see powerdrivers");
        }
        return new BmcArguments(driver, settings);
    }
}
