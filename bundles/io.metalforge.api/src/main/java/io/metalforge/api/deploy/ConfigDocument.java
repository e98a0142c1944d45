package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * One generated document.
 *
 * @param name    what it is, e.g. "storage", "network", "main", "cloud-config"
 * @param kind    format family, see {@link Kind}
 * @param content the YAML text
 */
public record ConfigDocument(String name, Kind kind, String content) {

    /** What validates a document. */
    public enum Kind {
        /** One of the curtin configuration documents; curtin merges them in order. */
        CURTIN,
        /** A cloud-config (starts with "#cloud-config"). */
        CLOUD_CONFIG,
        /** A netplan (network config v2) file. */
        NETPLAN
    }

    public ConfigDocument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(content, "content");
    }
}
