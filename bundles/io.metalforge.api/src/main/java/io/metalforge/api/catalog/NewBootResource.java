package io.metalforge.api.catalog;

import java.util.Map;
import java.util.Objects;

/**
 * What identifies and describes a boot resource to create or find: it is found by (type, name, architecture, alias).
 */
public record NewBootResource(ResourceType type, String name, String architecture, String alias, String baseImage,
        String bootloaderType, String kflavor, boolean rolling, Map<String, String> extra) {

    public NewBootResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        alias = alias == null ? "" : alias;
        baseImage = baseImage == null ? "" : baseImage;
        bootloaderType = bootloaderType == null ? "" : bootloaderType;
        kflavor = kflavor == null ? "" : kflavor;
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
