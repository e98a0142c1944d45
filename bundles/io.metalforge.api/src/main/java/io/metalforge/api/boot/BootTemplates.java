package io.metalforge.api.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Renders boot config templates. A template named N of method M is read from the operator's folder
 * {@code <data>/templates/boot/M/N} when it exists there, otherwise from the method's bundle at
 * {@code templates/boot/M/N}. Templates replace {@code {{key}}} with the value of {@code key}; every other character,
 * including iPXE's and GRUB's own {@code ${...}} variables, is copied as it is.
 */
@ProviderType
public interface BootTemplates {

    /**
     * Renders the first of {@code names} that exists.
     *
     * @throws IllegalArgumentException when none exists, or a template uses a key missing from {@code values}
     */
    String render(BootMethod method, List<String> names, Map<String, String> values);

    /**
     * MAAS's lookup order for a purpose: {@code config.<purpose>.<arch>.<subarch>.template},
     * {@code config.<purpose>.<arch>.template}, {@code config.<purpose>.template}.
     */
    static List<String> purposeNames(String purpose, String arch, String subarch) {
        List<String> names = new ArrayList<>(3);
        if (!arch.isEmpty() && !subarch.isEmpty()) {
            names.add("config." + purpose + "." + arch + "." + subarch + ".template");
        }
        if (!arch.isEmpty()) {
            names.add("config." + purpose + "." + arch + ".template");
        }
        names.add("config." + purpose + ".template");
        return names;
    }
}
