package io.metalforge.inspect.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Builds real archives and disk images for the tests: tar trees, compressed streams, MBR/GPT and superblocks. */
final class TestImages {

    static final int EM_X86_64 = 0x3E;
    static final int EM_AARCH64 = 0xB7;

    private TestImages() {
    }

    /** What goes into a root filesystem tree. */
    static final class Tree {
        String osId = "ubuntu";
        String versionId = "24.04";
        boolean osRelease = true;
        boolean kernel = true;
        boolean cloudInit = true;
        boolean netplan = true;
        boolean curtinHooks = false;
        int machine = EM_X86_64;
        int binaries = 5;

        Tree without(String what) {
            switch (what) {
                case "kernel" -> kernel = false;
                case "cloud-init" -> cloudInit = false;
                case "netplan" -> netplan = false;
                case "os-release" -> osRelease = false;
                default -> throw new IllegalArgumentException(what);
            }
            return this;
        }
    }

    static Tree ubuntu() {
        return new Tree();
    }

    static Tree rhel() {
        Tree tree = new Tree();
        tree.osId = "rhel";
        tree.versionId = "9.4";
        tree.netplan = false;
        return tree;
    }

    /** A tar of the tree, the way packer-maas images are laid out ("./" prefixed, usrmerge symlinks). */
    static byte[] tar(Tree tree) throws IOException {
        return tar(tree, t -> {
        });
    }

    /** Members written after the tree's, e.g. hostile ones. */
    interface Extra {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A tar of the tree with {@code extra} members at the end. */
    static byte[] tar(Tree tree, Extra extra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : List.of("./", "./etc/", "./boot/", "./usr/", "./usr/bin/", "./usr/sbin/", "./usr/lib/",
                    "./etc/cloud/", "./curtin/")) {
                tar.putArchiveEntry(new TarArchiveEntry(dir));
                tar.closeArchiveEntry();
            }
            symlink(tar, "./bin", "usr/bin");
            symlink(tar, "./sbin", "usr/sbin");
            if (tree.osRelease) {
                file(tar, "./usr/lib/os-release", ("NAME=\"Test\"\nID=" + tree.osId + "\nVERSION_ID=\"" + tree.versionId
                        + "\"\nPRETTY_NAME=\"Test " + tree.versionId + "\"\n").getBytes(StandardCharsets.UTF_8));
                symlink(tar, "./etc/os-release", "../usr/lib/os-release");
            }
            if (tree.kernel) {
                file(tar, "./boot/vmlinuz-6.8.0-31-generic", elf(tree.machine, 4096));
                symlink(tar, "./boot/vmlinuz", "vmlinuz-6.8.0-31-generic");
            }
            for (int i = 0; i < tree.binaries; i++) {
                file(tar, "./usr/bin/tool" + i, elf(tree.machine, 2000 + i));
            }
            if (tree.cloudInit) {
                file(tar, "./usr/bin/cloud-init", "#!/usr/bin/python3\n".getBytes(StandardCharsets.UTF_8));
                file(tar, "./etc/cloud/cloud.cfg", "datasource_list: [ MAAS ]\n".getBytes(StandardCharsets.UTF_8));
            }
            if (tree.netplan) {
                file(tar, "./usr/sbin/netplan", "#!/usr/bin/python3\n".getBytes(StandardCharsets.UTF_8));
            }
            if (tree.curtinHooks) {
                file(tar, "./curtin/curtin-hooks", "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8));
            }
            file(tar, "./usr/share-data.bin", new byte[100_000]);
            extra.write(tar);
        }
        return bytes.toByteArray();
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A 64-bit little-endian ELF executable header (Elf64_Ehdr) followed by filler. */
    static byte[] elf(int machine, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, 64)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0 });
        b.position(16);
        b.putShort((short) 2); // ET_EXEC
        b.putShort((short) machine);
        b.putInt(1); // EV_CURRENT
        b.putLong(0x401000); // entry
        b.putLong(64); // phoff
        b.putLong(0); // shoff
        b.putInt(0); // flags
        b.putShort((short) 64); // ehsize
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] bzip2(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
            xz.write(data);
        }
        return out.toByteArray();
    }

    // ---- disk images

    static final String ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    static final String LINUX = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    /** One partition to lay out: type, first and last LBA (512-byte sectors), filesystem to format ("" = none). */
    record Part(String type, long first, long last, String fs) {
    }

    /** A GPT disk (protective MBR, primary and backup headers with CRCs) with superblocks in its partitions. */
    static byte[] gptDisk(long sectors, List<Part> parts) throws IOException {
        byte[] disk = new byte[(int) (sectors * 512)];
        ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        // protective MBR
        disk[446 + 4] = (byte) 0xEE;
        b.putInt(446 + 8, 1);
        b.putInt(446 + 12, (int) Math.min(sectors - 1, 0xFFFFFFFFL));
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        // partition entries at LBA 2
        byte[] entries = new byte[128 * 128];
        ByteBuffer e = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            e.position(i * 128);
            e.put(guidBytes(p.type()));
            e.put(guidBytes(UUID.randomUUID().toString()));
            e.putLong(p.first());
            e.putLong(p.last());
            e.putLong(0);
            byte[] name = (i == 0 ? "EFI" : "root").getBytes(StandardCharsets.UTF_16LE);
            e.put(name);
        }
        System.arraycopy(entries, 0, disk, 1024, entries.length);
        CRC32 entriesCrc = new CRC32();
        entriesCrc.update(entries);
        byte[] header = gptHeader(1, sectors - 1, 2, sectors, entriesCrc.getValue());
        System.arraycopy(header, 0, disk, 512, header.length);
        byte[] backup = gptHeader(sectors - 1, 1, sectors - 33, sectors, entriesCrc.getValue());
        System.arraycopy(entries, 0, disk, (int) ((sectors - 33) * 512), entries.length);
        System.arraycopy(backup, 0, disk, (int) ((sectors - 1) * 512), backup.length);
        for (Part p : parts) {
            format(disk, (int) (p.first() * 512), (p.last() - p.first() + 1) * 512, p.fs());
        }
        return disk;
    }

    private static byte[] gptHeader(long current, long other, long entriesLba, long sectors, long entriesCrc) {
        ByteBuffer h = ByteBuffer.allocate(92).order(ByteOrder.LITTLE_ENDIAN);
        h.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
        h.putInt(0x00010000);
        h.putInt(92);
        h.putInt(0); // crc, below
        h.putInt(0);
        h.putLong(current);
        h.putLong(other);
        h.putLong(34);
        h.putLong(sectors - 34);
        h.put(guidBytes(UUID.randomUUID().toString()));
        h.putLong(entriesLba);
        h.putInt(128);
        h.putInt(128);
        h.putInt((int) entriesCrc);
        CRC32 crc = new CRC32();
        crc.update(h.array());
        h.putInt(16, (int) crc.getValue());
        return h.array();
    }

    /** An MBR disk with primary partitions of the given types. */
    static byte[] mbrDisk(long sectors, List<Part> parts, List<Integer> types) throws IOException {
        byte[] disk = new byte[(int) (sectors * 512)];
        ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < parts.size(); i++) {
            int entry = 446 + 16 * i;
            disk[entry] = (byte) (i == 0 ? 0x80 : 0);
            disk[entry + 4] = (byte) (int) types.get(i);
            b.putInt(entry + 8, (int) parts.get(i).first());
            b.putInt(entry + 12, (int) (parts.get(i).last() - parts.get(i).first() + 1));
            format(disk, (int) (parts.get(i).first() * 512), (parts.get(i).last() - parts.get(i).first() + 1) * 512,
                    parts.get(i).fs());
        }
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        return disk;
    }

    /** Writes the superblock of {@code fs} at {@code offset}. */
    static void format(byte[] disk, int offset, long bytes, String fs) {
        ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        switch (fs) {
            case "ext4" -> {
                int sb = offset + 1024;
                b.putInt(sb, (int) (bytes / 4096 / 4)); // inodes
                b.putInt(sb + 4, (int) (bytes / 4096)); // blocks
                b.putInt(sb + 24, 2); // log block size: 4 KiB
                b.putShort(sb + 56, (short) 0xEF53);
                b.putShort(sb + 58, (short) 1); // clean
                b.putInt(sb + 76, 1); // dynamic revision
                b.putInt(sb + 0x5C, 0x4 | 0x20 | 0x200); // has_journal, dir_index, ...
                b.putInt(sb + 0x60, 0x2 | 0x40 | 0x80 | 0x200); // filetype, extents, 64bit, flex_bg
                byte[] label = "cloudimg-rootfs".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(label, 0, disk, sb + 0x78, label.length);
            }
            case "vfat" -> {
                disk[offset] = (byte) 0xEB;
                disk[offset + 1] = 0x58;
                disk[offset + 2] = (byte) 0x90;
                System.arraycopy("mkfs.fat".getBytes(StandardCharsets.US_ASCII), 0, disk, offset + 3, 8);
                b.putShort(offset + 11, (short) 512);
                disk[offset + 13] = 1;
                b.putShort(offset + 14, (short) 32);
                disk[offset + 16] = 2;
                disk[offset + 21] = (byte) 0xF8;
                b.putInt(offset + 32, (int) (bytes / 512));
                System.arraycopy("FAT32   ".getBytes(StandardCharsets.US_ASCII), 0, disk, offset + 0x52, 8);
                disk[offset + 510] = 0x55;
                disk[offset + 511] = (byte) 0xAA;
            }
            case "xfs" -> System.arraycopy("XFSB".getBytes(StandardCharsets.US_ASCII), 0, disk, offset, 4);
            case "btrfs" -> System.arraycopy("_BHRfS_M".getBytes(StandardCharsets.US_ASCII), 0, disk,
                    offset + 0x10040, 8);
            case "" -> {
            }
            default -> throw new IllegalArgumentException(fs);
        }
    }

    private static byte[] guidBytes(String guid) {
        UUID u = UUID.fromString(guid);
        ByteBuffer big = ByteBuffer.allocate(16);
        big.putLong(u.getMostSignificantBits());
        big.putLong(u.getLeastSignificantBits());
        byte[] s = big.array();
        // first three fields little-endian
        return new byte[] { s[3], s[2], s[1], s[0], s[5], s[4], s[7], s[6], s[8], s[9], s[10], s[11], s[12], s[13],
                s[14], s[15] };
    }

    /** A tar holding one file (a disk image inside root-dd archives). */
    static byte[] tarOf(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            file(tar, name, content);
        }
        return bytes.toByteArray();
    }

    /** Runs a tool; fails naming the apt package when the tool is missing. */
    static void run(String aptPackage, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(args).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: install it with apt-get install -y " + aptPackage, e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }

    static Path sparseFile(Path dir, String name, long bytes) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
        return file;
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
