package io.metalforge.api.deploy;

/** Storage layouts a deployment can ask for. */
public enum LayoutType {
    /** One root partition (plus boot partitions), the default. */
    FLAT,
    /** Root as a logical volume in a volume group on the boot disk. */
    LVM,
    /** Flat with operator-chosen sizes and extra block devices formatted and mounted. */
    CUSTOM
}
