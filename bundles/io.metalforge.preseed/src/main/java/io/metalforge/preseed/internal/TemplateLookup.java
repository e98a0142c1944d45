package io.metalforge.preseed.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The template names tried for a machine, most specific first: prefix_os_arch_subarch_release_hostname down to
 * prefix_os, then prefix, then "generic". For the commissioning OS (the default one, Ubuntu unless configured
 * otherwise) each step is also tried without the OS, as MAAS names its stock templates.
 */
final class TemplateLookup {

    static final String PREFIX = "curtin_userdata";
    /** Keeps file names inside the template folder whatever a client put in a host name. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");

    private TemplateLookup() {
    }

    static List<String> names(String os, String arch, String subarch, String release, String hostname,
            String defaultOs) {
        List<String> parts = new ArrayList<>(List.of(os, arch, subarch, release, hostname));
        // a name part that could escape the folder ends the list there: the less specific names still apply
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) == null || !SAFE.matcher(parts.get(i)).matches()) {
                parts = parts.subList(0, i);
                break;
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (int n = parts.size(); n >= 1; n--) {
            names.add(PREFIX + "_" + String.join("_", parts.subList(0, n)));
            if (os.equals(defaultOs) && n >= 2) {
                names.add(PREFIX + "_" + String.join("_", parts.subList(1, n)));
            }
        }
        names.add(PREFIX);
        names.add("generic");
        return List.copyOf(names);
    }
}
