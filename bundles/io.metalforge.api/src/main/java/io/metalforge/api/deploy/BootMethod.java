package io.metalforge.api.deploy;

/** How the machine's firmware boots: legacy BIOS or UEFI. Decides the partition table and the boot partitions. */
public enum BootMethod {
    BIOS, UEFI
}
