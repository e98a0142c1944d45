package io.metalforge.api.platform;

import java.util.Objects;

/**
 * What the platform knows about one wired extension: its identifying name and the bundle that provides it.
 *
 * @param family        the extension family
 * @param name          the identifying name (OS name, driver name, backend name, source type)
 * @param title         a short human title
 * @param bundle        symbolic name of the providing bundle
 * @param bundleVersion version of the providing bundle
 */
public record ExtensionInfo(ExtensionFamily family, String name, String title, String bundle, String bundleVersion) {
    public ExtensionInfo {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(name, "name");
    }
}
