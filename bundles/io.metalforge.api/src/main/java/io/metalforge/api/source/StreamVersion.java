package io.metalforge.api.source;

import java.util.Map;
import java.util.Objects;

/**
 * One version of a product ("20250718", "20231004.0").
 *
 * @param name  version name; the latest is the lexicographically greatest
 * @param items items by key
 */
public record StreamVersion(String name, Map<String, StreamItem> items) {
    public StreamVersion {
        Objects.requireNonNull(name, "name");
        items = items == null ? Map.of() : Map.copyOf(items);
    }
}
