package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * An additional block device that the deployment formats and mounts as a whole (one partition).
 *
 * @param disk       name of the disk (not the boot disk)
 * @param fstype     file system, e.g. "ext4", "xfs"
 * @param mountPoint absolute mount point, e.g. "/srv"
 * @param label      file-system label, or null
 */
public record ExtraVolume(String disk, String fstype, String mountPoint, String label) {
    public ExtraVolume {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(fstype, "fstype");
        Objects.requireNonNull(mountPoint, "mountPoint");
    }
}
