package io.metalforge.catalog.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Real root tarballs for upload tests. */
public final class Images {

    private Images() {
    }

    /**
     * A gzip-compressed root tree of an amd64 Ubuntu image; {@code netplan} decides whether netplan is there;
     * {@code filler} bytes of random (incompressible) data make it as large as a test needs.
     */
    public static byte[] ubuntuTgz(boolean netplan, int filler, long seed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            file(tar, "./etc/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\n".getBytes(StandardCharsets.UTF_8));
            file(tar, "./boot/vmlinuz-6.8.0-31-generic", elf(0x3E));
            file(tar, "./usr/bin/bash", elf(0x3E));
            file(tar, "./usr/bin/cloud-init", "#!/usr/bin/python3\n".getBytes(StandardCharsets.UTF_8));
            if (netplan) {
                file(tar, "./usr/sbin/netplan", "#!/usr/bin/python3\n".getBytes(StandardCharsets.UTF_8));
            }
            byte[] data = new byte[filler];
            new Random(seed).nextBytes(data);
            file(tar, "./var/lib/data.bin", data);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static byte[] elf(int machine) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0 });
        b.position(16);
        b.putShort((short) 2);
        b.putShort((short) machine);
        b.putInt(1);
        return b.array();
    }

    public static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
