package io.metalforge.api.deploy;

import java.util.List;
import java.util.Objects;

/**
 * The storage layout to deploy.
 *
 * @param type      flat (default), lvm or custom
 * @param bootDisk  the disk that boots (grub), or null for the first disk
 * @param rootSize  root size in bytes, or 0 for "the rest of the disk" (at least 3 GiB when given)
 * @param bootSize  size of a separate /boot in bytes, or 0 for none (at least 512 MiB when given)
 * @param extra     other disks to format and mount
 * @param swapSize  swap size in bytes, 0 for no swap, or null to leave it to the installer's default
 */
public record StorageLayout(LayoutType type, String bootDisk, long rootSize, long bootSize, List<ExtraVolume> extra,
        Long swapSize) {

    public static final long MIN_ROOT = 3L << 30;
    public static final long MIN_BOOT = 512L << 20;
    public static final long MAX_SWAP = 1L << 40;

    public StorageLayout {
        Objects.requireNonNull(type, "type");
        extra = extra == null ? List.of() : List.copyOf(extra);
        if (rootSize != 0 && rootSize < MIN_ROOT) {
            throw new IllegalArgumentException("root size must be at least 3 GiB");
        }
        if (bootSize != 0 && bootSize < MIN_BOOT) {
            throw new IllegalArgumentException("boot size must be at least 512 MiB");
        }
        if (swapSize != null && (swapSize < 0 || swapSize > MAX_SWAP)) {
            throw new IllegalArgumentException("swap size must be between 0 and 1 TiB");
        }
    }

    /** A layout that leaves swap to the installer. */
    public StorageLayout(LayoutType type, String bootDisk, long rootSize, long bootSize, List<ExtraVolume> extra) {
        this(type, bootDisk, rootSize, bootSize, extra, null);
    }

    /** The default: flat, root taking the whole first disk. */
    public static StorageLayout flat() {
        return new StorageLayout(LayoutType.FLAT, null, 0, 0, List.of());
    }
}
