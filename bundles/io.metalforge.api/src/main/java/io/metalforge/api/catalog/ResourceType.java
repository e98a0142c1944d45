package io.metalforge.api.catalog;

import java.util.Arrays;
import java.util.Optional;

/** How a boot resource got here. MAAS's GENERATED (1) is retired. */
public enum ResourceType {
    SYNCED(0, "Synced", "synced"), UPLOADED(2, "Uploaded", "uploaded");

    private final int code;
    private final String label;
    private final String key;

    ResourceType(int code, String label, String key) {
        this.code = code;
        this.label = label;
        this.key = key;
    }

    /** The stored integer (0, 2). */
    public int code() {
        return code;
    }

    /** The v2 JSON "type" ("Synced"). */
    public String label() {
        return label;
    }

    /** The v2 list filter and v3 value ("synced"). */
    public String key() {
        return key;
    }

    public static Optional<ResourceType> ofCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }

    public static Optional<ResourceType> ofKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst();
    }
}
