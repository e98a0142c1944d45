package io.metalforge.api.source;

import java.util.Map;
import java.util.Objects;

/**
 * One file of a product version.
 *
 * @param name   item key in the version ("boot-kernel", "squashfs", "grub2-signed")
 * @param ftype  file type ("boot-kernel", "squashfs", "root-tgz", "archive.tar.xz", "manifest", ...)
 * @param path   location relative to the mirror root
 * @param sha256 lower-case hex digest
 * @param size   size in bytes
 * @param extra  the remaining string attributes (kpackage, src_package, src_release, src_version)
 */
public record StreamItem(String name, String ftype, String path, String sha256, long size,
        Map<String, String> extra) {

    public StreamItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ftype, "ftype");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** The file name a boot resource file gets: the last segment of {@link #path()}. */
    public String filename() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
