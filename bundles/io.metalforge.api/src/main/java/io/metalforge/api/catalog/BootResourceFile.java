package io.metalforge.api.catalog;

import java.util.Map;

import io.metalforge.api.inspect.ImageReport;

/**
 * A file of a set (MAAS {@code BootResourceFile}).
 *
 * @param id             database id
 * @param setId          owning set
 * @param filename       "root.tgz", "squashfs", ...
 * @param filetype       "root-tgz", "squashfs", "boot-kernel", ...
 * @param sha256         lower-case hex
 * @param size           bytes
 * @param filenameOnDisk short sha: shortest unique prefix of at least 7 characters, shared by equal content
 * @param extra          kpackage, src_package, ...
 * @param complete       whether its bytes are stored and verified
 * @param report         the image doctor's report, or null when not inspected
 */
public record BootResourceFile(long id, long setId, String filename, String filetype, String sha256, long size,
        String filenameOnDisk, Map<String, String> extra, boolean complete, ImageReport report) {

    public BootResourceFile {
        extra = Map.copyOf(extra);
    }
}
