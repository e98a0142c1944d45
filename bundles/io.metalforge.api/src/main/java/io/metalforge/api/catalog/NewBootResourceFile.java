package io.metalforge.api.catalog;

import java.util.Map;
import java.util.Objects;

/** A file to add to a new set with {@link BootResourceCatalog#createSetWithFiles}. */
public record NewBootResourceFile(String filename, String filetype, String sha256, long size,
        Map<String, String> extra) {

    public NewBootResourceFile {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(filetype, "filetype");
        Objects.requireNonNull(sha256, "sha256");
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
