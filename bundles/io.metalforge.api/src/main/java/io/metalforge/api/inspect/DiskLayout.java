package io.metalforge.api.inspect;

import java.util.List;

/**
 * What a disk image holds.
 *
 * @param partitionTable "gpt", "mbr" or "none" (a bare filesystem image)
 * @param partitions     partitions in table order
 * @param efiSystemPartition whether one partition is an EFI system partition
 */
public record DiskLayout(String partitionTable, List<Partition> partitions, boolean efiSystemPartition) {
    public DiskLayout {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition (or the whole image for a bare filesystem).
     *
     * @param number     1-based number in the table
     * @param type       partition type: a GPT type name/GUID or an MBR type such as "0x83 Linux"
     * @param startBytes offset in the image
     * @param sizeBytes  length
     * @param filesystem filesystem found in its superblock ("ext4", "xfs", "vfat", "btrfs", "swap", ...) or
     *                   "unknown"; "not read" when the stream ended first
     */
    public record Partition(int number, String type, long startBytes, long sizeBytes, String filesystem) {
    }
}
