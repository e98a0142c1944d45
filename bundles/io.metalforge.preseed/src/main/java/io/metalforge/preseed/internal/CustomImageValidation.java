package io.metalforge.preseed.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.metalforge.api.os.CustomImageCheck;

/**
 * late_commands that abort the installation of a custom image lacking the tools MAAS configures it with: run in the
 * written target, a non-zero exit fails curtin and so the deployment, with a message saying what is missing. Which
 * tools a base needs is its OS handler's answer.
 */
final class CustomImageValidation {

    private CustomImageValidation() {
    }

    /** The commands for the checks of a base OS, keyed in run order from 98. */
    static Map<String, Object> commands(Set<CustomImageCheck> checks) {
        Map<String, Object> out = new LinkedHashMap<>();
        int priority = 98;
        for (CustomImageCheck check : CustomImageCheck.values()) {
            if (!checks.contains(check) || !check.verifiedInTarget()) {
                continue;
            }
            out.put(priority++ + "-validate-custom-image-has-" + check.tool(), List.of("curtin", "in-target", "--",
                    "bash", "-c", check.command() + " || (echo \"" + check.tool()
                            + " not detected, MAAS will not be able to configure this machine properly\" && exit 1)"));
        }
        return out;
    }
}
