package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * A block device of a machine.
 *
 * @param name      kernel name, e.g. "sda", "nvme0n1"
 * @param model     model string, or null when unknown
 * @param serial    serial number, or null when unknown
 * @param idPath    stable path, e.g. "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", used when model/serial do not identify
 *                  the disk
 * @param sizeBytes size in bytes
 */
public record Disk(String name, String model, String serial, String idPath, long sizeBytes) {
    public Disk {
        Objects.requireNonNull(name, "name");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk " + name + ": size must be positive");
        }
    }
}
