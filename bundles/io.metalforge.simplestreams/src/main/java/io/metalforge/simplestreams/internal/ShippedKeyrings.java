package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Public keyrings that ship inside this bundle, used in place of a well-known system keyring file when that file is
 * absent: only Ubuntu packages {@code /usr/share/keyrings/ubuntu-cloudimage-keyring.gpg}, so without this the
 * default boot source could never verify on Debian, RHEL or an appliance image. See docs/SIMPLESTREAMS.md for the
 * keys, their fingerprints and how to check them.
 */
final class ShippedKeyrings {

    /** System keyring file to the bundle resource that stands in for it. */
    private static final Map<Path, String> FALLBACKS = Map.of(Path.of(BootSources.DEFAULT_KEYRING),
            "ubuntu-cloudimage-keyring.asc");

    private ShippedKeyrings() {
    }

    /** The shipped keyring standing in for {@code systemFile}, if there is one. */
    static Optional<byte[]> standIn(Path systemFile) {
        String resource = FALLBACKS.get(systemFile);
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = ShippedKeyrings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundle resource " + resource + " is missing");
            }
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
