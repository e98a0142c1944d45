package io.metalforge.api.os.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** The stored filetype (or filename) to curtin source type groups of MAAS. */
public final class ImageFiletypes {

    /** The ephemeral root filesystem, copied by curtin from the booted environment. */
    public static final Map<String, String> SQUASHFS = Map.of("squashfs", "squashfs");

    /** Root tarballs. */
    public static final Map<String, String> TARBALL = Map.of(
            "root-tgz", "tgz", "root.tgz", "tgz",
            "root-txz", "txz", "root.txz", "txz",
            "root-tbz", "tbz", "root.tbz", "tbz");

    /** Disk images written block by block. */
    public static final Map<String, String> DISK_IMAGE = Map.of(
            "root-dd", "dd-tgz", "root-dd.tar", "dd-tar", "root-dd.raw", "dd-raw", "root-dd.bz2", "dd-bz2",
            "root-dd.gz", "dd-gz", "root-dd.xz", "dd-xz", "root-dd.tar.bz2", "dd-tbz", "root-dd.tar.xz", "dd-txz");

    private ImageFiletypes() {
    }

    /** The union of groups, as one immutable map. */
    @SafeVarargs
    public static Map<String, String> of(Map<String, String>... groups) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> g : groups) {
            all.putAll(g);
        }
        return Map.copyOf(all);
    }
}
