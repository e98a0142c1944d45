package io.metalforge.api.source;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One product of a catalogue, e.g. {@code com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04}.
 *
 * @param name       product name
 * @param shape      which of the three shapes it validated as
 * @param attributes its scalar attributes (os, release, arch, subarch, label, bootloader-type, ...)
 * @param versions   versions by name, sorted so the last is the latest
 */
public record StreamProduct(String name, ProductShape shape, Map<String, String> attributes,
        SortedMap<String, StreamVersion> versions) {

    public StreamProduct {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions == null ? Map.of() : versions));
    }

    /** An attribute, or "" when absent. */
    public String attribute(String key) {
        return attributes.getOrDefault(key, "");
    }

    public String os() {
        return attribute("os");
    }

    public String release() {
        return attribute("release");
    }

    public String arch() {
        return attribute("arch");
    }

    public String label() {
        return attribute("label");
    }

    /** The lexicographically greatest version. */
    public Optional<StreamVersion> latestVersion() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.lastKey()));
    }
}
