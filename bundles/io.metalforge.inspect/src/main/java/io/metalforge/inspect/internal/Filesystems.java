package io.metalforge.inspect.internal;

import java.nio.charset.StandardCharsets;

/** Filesystem and volume signatures, read from superblocks at the start of a partition or image. */
final class Filesystems {

    /** Bytes from a partition's start that cover every signature below (btrfs sits at 64 KiB, iso9660 at 32 KiB). */
    static final int PROBE_BYTES = 72 * 1024;

    private Filesystems() {
    }

    /**
     * The filesystem whose superblock starts at {@code buf[off]}, or null. {@code len} bytes are valid; signatures
     * beyond them are not looked at.
     */
    static String detect(byte[] buf, int off, int len) {
        if (has(buf, off, len, 1024 + 56, 2) && u16(buf, off + 1024 + 56) == 0xEF53) {
            return extVariant(buf, off);
        }
        if (ascii(buf, off, len, 0, "XFSB")) {
            return "xfs";
        }
        if (ascii(buf, off, len, 0, "hsqs")) {
            return "squashfs";
        }
        if (ascii(buf, off, len, 3, "NTFS    ")) {
            return "ntfs";
        }
        if (has(buf, off, len, 510, 2) && (buf[off + 510] & 0xFF) == 0x55 && (buf[off + 511] & 0xFF) == 0xAA
                && (ascii(buf, off, len, 0x36, "FAT") || ascii(buf, off, len, 0x52, "FAT32"))) {
            return "vfat";
        }
        if (ascii(buf, off, len, 512, "LABELONE") && ascii(buf, off, len, 512 + 24, "LVM2 001")) {
            return "lvm2";
        }
        if (ascii(buf, off, len, 4096 - 10, "SWAPSPACE2")) {
            return "swap";
        }
        if (ascii(buf, off, len, 0x10040, "_BHRfS_M")) {
            return "btrfs";
        }
        if (ascii(buf, off, len, 0x8001, "CD001")) {
            return "iso9660";
        }
        return null;
    }

    private static String extVariant(byte[] buf, int off) {
        int sb = off + 1024;
        long compat = u32(buf, sb + 0x5C);
        long incompat = u32(buf, sb + 0x60);
        // extents, 64bit or flex_bg only exist in ext4; a journal without them is ext3
        if ((incompat & (0x40 | 0x80 | 0x200)) != 0) {
            return "ext4";
        }
        return (compat & 0x4) != 0 ? "ext3" : "ext2";
    }

    static boolean has(byte[] buf, int off, int len, int at, int n) {
        return at + n <= len && off + at + n <= buf.length;
    }

    static boolean ascii(byte[] buf, int off, int len, int at, String text) {
        byte[] expected = text.getBytes(StandardCharsets.US_ASCII);
        if (!has(buf, off, len, at, expected.length)) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf[off + at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    static int u16(byte[] buf, int at) {
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] buf, int at) {
        return (u16(buf, at) | (long) u16(buf, at + 2) << 16) & 0xFFFFFFFFL;
    }

    static long u64(byte[] buf, int at) {
        return u32(buf, at) | u32(buf, at + 4) << 32;
    }
}
