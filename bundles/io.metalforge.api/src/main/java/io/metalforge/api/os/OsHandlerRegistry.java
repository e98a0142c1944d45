package io.metalforge.api.os;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.platform.ExtensionRegistry;

/**
 * The OS handlers wired now, by {@link OsHandler#name()}. The questions the platform asks about OSes in general
 * (which can be a custom image's base, which architectures can be used) are answered from the handlers wired now.
 */
@ProviderType
public interface OsHandlerRegistry extends ExtensionRegistry<OsHandler> {

    /**
     * {@inheritDoc}
     *
     * @throws ExtensionNotInstalledException when none is wired now; since 1.1 its message lists the wired OSes
     */
    @Override
    default OsHandler require(String name) {
        return find(name).orElseThrow(() -> new ExtensionNotInstalledException(family(), name, names()));
    }

    /**
     * Names of the wired OSes a custom image can be built on, sorted.
     *
     * @since 1.1
     */
    default List<String> customImageBases() {
        return names().stream().filter(n -> find(n).map(OsHandler::isCustomImageBase).orElse(false)).toList();
    }

    /**
     * The architectures ("amd64/generic") of every wired OS handler, sorted.
     *
     * @since 1.1
     */
    default Set<String> architectures() {
        Set<String> all = new TreeSet<>();
        names().forEach(n -> find(n).ifPresent(h -> all.addAll(h.architectures())));
        return all;
    }

    /**
     * The handler of a custom image's base image "os/release", checked: its OS is wired, can be a base, and knows
     * the release. Every refusal names the valid choices.
     *
     * @throws ExtensionNotInstalledException when the OS is not wired now (the message lists the wired ones)
     * @throws IllegalArgumentException       when the base is malformed, not a base OS, or not one of its releases
     * @since 1.1
     */
    default OsHandler requireCustomImageBase(String baseImage) {
        int slash = baseImage == null ? -1 : baseImage.indexOf('/');
        if (slash <= 0 || slash == baseImage.length() - 1 || baseImage.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("base image '" + baseImage + "' is not of the form <os>/<release>");
        }
        String os = baseImage.substring(0, slash);
        OsHandler handler = require(os);
        if (!handler.isCustomImageBase()) {
            throw new IllegalArgumentException(handler.title() + " cannot be the base of a custom image; bases: "
                    + String.join(", ", customImageBases()));
        }
        handler.requireRelease(baseImage.substring(slash + 1));
        return handler;
    }
}
