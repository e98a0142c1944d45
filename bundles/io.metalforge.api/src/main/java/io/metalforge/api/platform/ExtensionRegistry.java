package io.metalforge.api.platform;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The live set of one extension family. Implementations follow the service registry: an extension registered by a
 * bundle is visible at once, and gone as soon as the bundle stops. Lookups never block.
 *
 * @param <T> the SPI type of the family
 */
@ProviderType
public interface ExtensionRegistry<T> {

    /** The family this registry collects. */
    ExtensionFamily family();

    /** Identifying names wired now, sorted. */
    List<String> names();

    /** Descriptions of what is wired now, sorted by name. */
    List<ExtensionInfo> describe();

    /** The extension registered under {@code name}, if one is wired now. */
    Optional<T> find(String name);

    /**
     * The extension registered under {@code name}.
     *
     * @throws ExtensionNotInstalledException when none is wired now
     */
    default T require(String name) {
        return find(name).orElseThrow(() -> new ExtensionNotInstalledException(family(), name));
    }
}
