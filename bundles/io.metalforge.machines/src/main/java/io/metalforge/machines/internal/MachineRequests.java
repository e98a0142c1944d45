package io.metalforge.machines.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerService;

/** Reading machine parameters from API requests, shared by the collection and the item handlers. */
final class MachineRequests {

    static final String POWER_PREFIX = "power_parameters_";

    private MachineRequests() {
    }

    static MachineLifecycle.Changes changes(ApiRequest r) throws ApiException {
        List<String> macs = null;
        List<String> given = r.parameters().get("mac_addresses");
        if (given != null) {
            macs = new ArrayList<>();
            for (String v : given) {
                for (String one : v.split(",")) {
                    if (one.isBlank()) {
                        continue;
                    }
                    try {
                        String mac = Hardware.mac(one);
                        if (!macs.contains(mac)) {
                            macs.add(mac);
                        }
                    } catch (IllegalArgumentException e) {
                        throw ApiException.validation(Map.of("mac_addresses", List.of(e.getMessage())));
                    }
                }
            }
        }
        return new MachineLifecycle.Changes(r.parameter("hostname").orElse(null), r.parameter("domain").orElse(null),
                r.parameter("architecture").orElse(null), macs, hardware(r), r.parameter("kernel_opts").orElse(null));
    }

    /** The hardware JSON, as a field or a file part. */
    private static String hardware(ApiRequest r) throws ApiException {
        var field = r.parameter("hardware");
        if (field.isPresent()) {
            return field.get();
        }
        for (var f : r.files()) {
            if (f.name().equals("hardware")) {
                if (f.size() > Hardware.MAX_JSON) {
                    throw ApiException.validation(Map.of("hardware", List.of("hardware description is larger than "
                            + Hardware.MAX_JSON + " bytes")));
                }
                try (var in = f.open()) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw ApiException.badRequest("hardware could not be read");
                }
            }
        }
        return null;
    }

    /** Sets the BMC when power_type or power_parameters_* are given. */
    static void power(PowerService power, String systemId, ApiRequest r) throws ApiException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : r.parameters().entrySet()) {
            if (p.getKey().startsWith(POWER_PREFIX) && !p.getValue().isEmpty()) {
                // multiple choices arrive as repeated parameters
                settings.put(p.getKey().substring(POWER_PREFIX.length()), String.join(",", p.getValue()));
            }
        }
        String driver = r.parameter("power_type").orElse("");
        if (driver.isEmpty() && settings.isEmpty()) {
            return;
        }
        if (driver.isEmpty()) {
            driver = power.bmc(systemId).map(b -> b.driver()).orElseThrow(() -> ApiException.validation(
                    Map.of("power_type", List.of("This field is required."))));
        }
        try {
            power.setBmc(systemId, driver, settings);
        } catch (ExtensionNotInstalledException e) {
            throw ApiException.validation(Map.of("power_type", List.of(e.getMessage())));
        } catch (PowerFailure e) {
            // MAAS-style field errors: the form field the client sent, when the failure names one
            String field = e.field().map(f -> POWER_PREFIX + f).orElse("power_parameters");
            throw ApiException.validation(Map.of(field, List.of(e.getMessage())));
        }
    }

    /** A parameter that must be absent or a non-blank value. */
    static String optional(ApiRequest r, String name) {
        return r.parameter(name).filter(v -> !v.isBlank()).orElse(null);
    }
}
