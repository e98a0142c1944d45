package io.metalforge.preseed.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * late_commands that abort the installation of a custom image lacking the tools MAAS configures it with: run in the
 * written target, a non-zero exit fails curtin and so the deployment, with a message saying what is missing.
 */
final class CustomImageValidation {

    /** Tool name to the command that proves it is there. Ubuntu bases also need netplan. */
    private static final Map<String, String> CLOUD_INIT = Map.of("cloud-init", "cloud-init --version");
    private static final Map<String, String> NETPLAN = Map.of("netplan", "netplan info");

    private CustomImageValidation() {
    }

    /** The commands for a base OS, keyed in run order from 98. */
    static Map<String, Object> commands(String baseOs) {
        Map<String, Object> out = new LinkedHashMap<>();
        int priority = 98;
        for (Map<String, String> tool : "ubuntu".equals(baseOs) ? List.of(CLOUD_INIT, NETPLAN) : List.of(CLOUD_INIT)) {
            Map.Entry<String, String> t = tool.entrySet().iterator().next();
            out.put(priority++ + "-validate-custom-image-has-" + t.getKey(), List.of("curtin", "in-target", "--",
                    "bash", "-c", t.getValue() + " || (echo \"" + t.getKey()
                            + " not detected, MAAS will not be able to configure this machine properly\" && exit 1)"));
        }
        return out;
    }
}
