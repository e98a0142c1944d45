package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * The image being deployed, as found in the catalog.
 *
 * @param os           OS name, e.g. "ubuntu", "centos", "custom"
 * @param release      release (series), e.g. "noble"; for custom images the bare image name
 * @param architecture architecture, e.g. "amd64"
 * @param subarch      sub-architecture of the resource, e.g. "generic"
 * @param filetype     stored filetype or filename, e.g. "squashfs", "root-tgz", "root-dd.xz"
 * @param filename     file name in the set, e.g. "root.tgz"
 * @param fileHash     short content hash naming the file on disk
 * @param label        label of the resource set, e.g. "stable" or "uploaded"
 * @param baseImage    for custom images the base "os/release" (e.g. "ubuntu/jammy", "centos/8"), otherwise ""
 */
public record DeployImage(String os, String release, String architecture, String subarch, String filetype,
        String filename, String fileHash, String label, String baseImage) {

    public DeployImage {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(filetype, "filetype");
        subarch = subarch == null || subarch.isBlank() ? "generic" : subarch;
        filename = filename == null || filename.isBlank() ? filetype : filename;
        fileHash = fileHash == null ? "" : fileHash;
        label = label == null || label.isBlank() ? "stable" : label;
        baseImage = baseImage == null ? "" : baseImage;
    }

    /** Whether this is an uploaded custom image. */
    public boolean custom() {
        return "custom".equals(os);
    }
}
