package io.metalforge.inspect.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.metalforge.api.inspect.DiskLayout;
import io.metalforge.api.inspect.DiskLayout.Partition;

/**
 * Reads a disk image front to back: the partition table (GPT or MBR) from its first sectors, then each partition's
 * superblock, skipping forward in partition order. Stops after the last superblock, so it reads only as much of a
 * disk image as the partition starts require.
 */
final class DiskInspector {

    static final String EFI_SYSTEM_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    private static final int MAX_PARTITIONS = 128;

    private static final Map<String, String> GPT_TYPES = Map.ofEntries(
            Map.entry(EFI_SYSTEM_GUID, "EFI System"),
            Map.entry("21686148-6449-6E6F-744E-656564454649", "BIOS boot"),
            Map.entry("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"),
            Map.entry("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)"),
            Map.entry("B921B045-1DF0-41C3-AF44-4C6F280D3FAE", "Linux root (ARM64)"),
            Map.entry("BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot"),
            Map.entry("E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM"),
            Map.entry("0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"),
            Map.entry("A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID"),
            Map.entry("9E1A2D38-C612-4316-AA26-8B49521E5A8B", "PowerPC PReP boot"),
            Map.entry("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"),
            Map.entry("E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"),
            Map.entry("DE94BBA4-06D1-4D40-A16A-BFD50179D6AC", "Windows recovery"));

    private static final Map<Integer, String> MBR_TYPES = Map.ofEntries(
            Map.entry(0x83, "Linux"), Map.entry(0x82, "Linux swap"), Map.entry(0x8E, "Linux LVM"),
            Map.entry(0xFD, "Linux RAID"), Map.entry(0xEF, "EFI System"), Map.entry(0xEE, "GPT protective"),
            Map.entry(0x05, "Extended"), Map.entry(0x0F, "Extended (LBA)"), Map.entry(0x85, "Linux extended"),
            Map.entry(0x0B, "FAT32"), Map.entry(0x0C, "FAT32 (LBA)"), Map.entry(0x06, "FAT16"),
            Map.entry(0x0E, "FAT16 (LBA)"), Map.entry(0x07, "NTFS/exFAT"), Map.entry(0x41, "PowerPC PReP boot"));

    private DiskInspector() {
    }

    /** "GPT", "MBR", "ext4 filesystem", ... for the head of a disk image, or null when it is none. */
    static String signature(byte[] b, int len) {
        if (gptSectorSize(b, len) > 0) {
            return "GPT";
        }
        String fs = Filesystems.detect(b, 0, len);
        if (fs != null) {
            return fs + " filesystem";
        }
        return isMbr(b, len) ? "MBR" : null;
    }

    /** Reads the layout of the disk image in {@code in}, which is positioned at its first byte. */
    static DiskLayout inspect(InputStream in) throws IOException {
        byte[] head = new byte[Filesystems.PROBE_BYTES];
        int headLength = readUpTo(in, head, 0, head.length);
        long position = headLength;

        List<Partition> table;
        String kind;
        int sector = gptSectorSize(head, headLength);
        if (sector > 0) {
            kind = "gpt";
            table = gptPartitions(head, headLength, sector);
        } else if (Filesystems.detect(head, 0, headLength) != null) {
            String fs = Filesystems.detect(head, 0, headLength);
            return new DiskLayout("none", List.of(new Partition(1, "whole image", 0, -1, fs)), false);
        } else if (isMbr(head, headLength)) {
            kind = "mbr";
            table = mbrPartitions(head);
        } else {
            return new DiskLayout("unknown", List.of(), false);
        }

        // superblocks, in the order they appear in the stream
        List<Partition> ordered = new ArrayList<>(table);
        ordered.sort(Comparator.comparingLong(Partition::startBytes));
        List<Partition> probed = new ArrayList<>();
        byte[] probe = new byte[Filesystems.PROBE_BYTES];
        boolean ended = false;
        for (Partition p : ordered) {
            String fs;
            if (p.type().startsWith("0x05") || p.type().startsWith("0x0F") || p.type().startsWith("0x85")) {
                fs = "extended";
            } else if (p.startBytes() + Filesystems.PROBE_BYTES <= headLength
                    || (ended && p.startBytes() < headLength)) {
                fs = orUnknown(Filesystems.detect(head, (int) p.startBytes(), (int) (headLength - p.startBytes())));
            } else if (ended || p.startBytes() < position) {
                fs = "not read";
            } else {
                long skipped = skip(in, p.startBytes() - position);
                position += skipped;
                if (position < p.startBytes()) {
                    ended = true;
                    fs = "not read";
                } else {
                    int n = readUpTo(in, probe, 0, probe.length);
                    position += n;
                    ended = n < probe.length;
                    fs = n == 0 ? "not read" : orUnknown(Filesystems.detect(probe, 0, n));
                }
            }
            probed.add(new Partition(p.number(), p.type(), p.startBytes(), p.sizeBytes(), fs));
        }
        probed.sort(Comparator.comparingInt(Partition::number));
        boolean esp = probed.stream().anyMatch(p -> p.type().contains("EFI System"));
        return new DiskLayout(kind, probed, esp);
    }

    private static String orUnknown(String fs) {
        return fs == null ? "unknown" : fs;
    }

    /** 512 or 4096 when a GPT header is found at LBA 1, else 0. */
    private static int gptSectorSize(byte[] b, int len) {
        for (int sector : new int[] { 512, 4096 }) {
            if (Filesystems.ascii(b, 0, len, sector, "EFI PART")) {
                return sector;
            }
        }
        return 0;
    }

    private static boolean isMbr(byte[] b, int len) {
        if (len < 512 || (b[510] & 0xFF) != 0x55 || (b[511] & 0xFF) != 0xAA) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < 4; i++) {
            int entry = 446 + 16 * i;
            int status = b[entry] & 0xFF;
            if (status != 0 && status != 0x80) {
                return false;
            }
            any |= b[entry + 4] != 0;
        }
        return any;
    }

    private static List<Partition> mbrPartitions(byte[] b) {
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int entry = 446 + 16 * i;
            int type = b[entry + 4] & 0xFF;
            if (type == 0) {
                continue;
            }
            long start = Filesystems.u32(b, entry + 8) * 512;
            long size = Filesystems.u32(b, entry + 12) * 512;
            String name = MBR_TYPES.getOrDefault(type, "unknown");
            partitions.add(new Partition(i + 1, String.format("0x%02X %s", type, name), start, size, null));
        }
        return partitions;
    }

    private static List<Partition> gptPartitions(byte[] b, int len, int sector) throws CorruptImageException {
        int header = sector;
        long entriesLba = Filesystems.u64(b, header + 72);
        long count = Filesystems.u32(b, header + 80);
        long entrySize = Filesystems.u32(b, header + 84);
        if (entrySize < 128 || entrySize > 4096 || count > 1024) {
            throw new CorruptImageException("GPT header with implausible partition entries (" + count + " of "
                    + entrySize + " bytes)");
        }
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < count && partitions.size() < MAX_PARTITIONS; i++) {
            long at = entriesLba * sector + i * entrySize;
            if (at + 128 > len) {
                break; // entries beyond the first sectors: not read (never the case for images made by common tools)
            }
            String type = guid(b, (int) at);
            if (type.equals("00000000-0000-0000-0000-000000000000")) {
                continue;
            }
            long first = Filesystems.u64(b, (int) at + 32);
            long last = Filesystems.u64(b, (int) at + 40);
            String label = utf16(b, (int) at + 56, 72);
            String name = GPT_TYPES.getOrDefault(type, type);
            partitions.add(new Partition(i + 1, label.isEmpty() ? name : name + " \"" + label + "\"",
                    first * sector, (last - first + 1) * sector, null));
        }
        return partitions;
    }

    /** GUIDs store their first three fields little-endian. */
    private static String guid(byte[] b, int at) {
        StringBuilder s = new StringBuilder();
        int[] order = { 3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15 };
        for (int i : order) {
            if (i < 0) {
                s.append('-');
            } else {
                s.append(String.format("%02X", b[at + i] & 0xFF));
            }
        }
        return s.toString().toUpperCase(Locale.ROOT);
    }

    private static String utf16(byte[] b, int at, int len) {
        String s = new String(b, at, len, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(buf, off + got, len - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    private static long skip(InputStream in, long n) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long done = 0;
        while (done < n) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }
}
