package io.metalforge.api.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A set to create with its files in {@link BootResourceCatalog#createSetsWithFiles}.
 *
 * @since 1.4
 */
public record NewBootResourceSet(long resourceId, String version, String label, List<NewBootResourceFile> files) {

    public NewBootResourceSet {
        Objects.requireNonNull(version, "version");
        files = List.copyOf(files);
    }
}
