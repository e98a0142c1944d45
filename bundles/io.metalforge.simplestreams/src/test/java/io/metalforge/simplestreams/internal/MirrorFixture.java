package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a MAAS-shaped (ephemeral-v3) signed SimpleStreams mirror on disk: Ubuntu multi-file products, a CentOS
 * single-file product and a UEFI bootloader archive, with pseudo-random payloads, product lists and index in
 * .json, .json.gpg and .sjson form, signed by real gpg.
 */
final class MirrorFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UBUNTU_LIST = "com.ubuntu.maas:stable:v3:download";
    static final String CENTOS_LIST = "com.ubuntu.maas:stable:centos-bases-download";
    static final String BOOTLOADER_LIST = "com.ubuntu.maas:stable:1:bootloader-download";

    final Path mirror;
    final Gpg gpg;
    final Map<String, ObjectNode> lists = new LinkedHashMap<>();
    private final Random random = new Random(42);

    MirrorFixture(Path mirror, Gpg gpg) throws IOException {
        this.mirror = Files.createDirectories(mirror);
        this.gpg = gpg;
    }

    /** Adds an Ubuntu product with kernel, initrd, squashfs and manifest for {@code serial}. */
    MirrorFixture ubuntu(String version, String release, String arch, String serial, int kernelSize, int initrdSize,
            long squashfsSize) throws IOException {
        return ubuntu(version, release, arch, serial, "ga-" + version, kernelSize, initrdSize, squashfsSize);
    }

    /** The same under a subarch of its own name, whose files (the squashfs too) live under that subarch's folder. */
    MirrorFixture ubuntu(String version, String release, String arch, String serial, String sub, int kernelSize,
            int initrdSize, long squashfsSize) throws IOException {
        String name = "com.ubuntu.maas.stable:v3:boot:" + version + ":" + arch + ":" + sub;
        ObjectNode product = product(UBUNTU_LIST, name);
        product.put("arch", arch).put("kflavor", "generic").put("krel", release).put("label", "stable")
                .put("os", "ubuntu").put("release", release).put("release_codename", release)
                .put("release_title", version + " LTS").put("subarch", sub).put("subarches", "generic," + sub)
                .put("support_eol", "2099-04-01").put("version", version);
        String dir = release + "/" + arch + "/" + serial + (sub.equals("ga-" + version) ? "" : "/" + sub);
        ObjectNode items = version(product, serial);
        items.set("boot-kernel", payload(dir + "/" + sub + "/generic/boot-kernel", "boot-kernel", kernelSize)
                .put("kpackage", "linux-generic"));
        items.set("boot-initrd", payload(dir + "/" + sub + "/generic/boot-initrd", "boot-initrd", initrdSize)
                .put("kpackage", "linux-generic"));
        items.set("squashfs", payload(dir + "/squashfs", "squashfs", squashfsSize));
        items.set("manifest", payload(dir + "/squashfs.manifest", "manifest", 64));
        items.set("boot-dtb", payload(dir + "/" + sub + "/generic/boot-dtb", "boot-dtb", 32));
        return this;
    }

    MirrorFixture centos(String serial, long size) throws IOException {
        ObjectNode product = product(CENTOS_LIST, "com.ubuntu.maas.stable:centos-bases:8:amd64");
        product.put("arch", "amd64").put("label", "stable").put("os", "centos").put("release", "8")
                .put("release_title", "CentOS 8").put("subarch", "generic").put("subarches", "generic")
                .put("support_eol", "2021-12-31").put("version", "8");
        ObjectNode items = version(product, serial);
        items.set("root-tgz", payload("centos/8/amd64/" + serial + "/root-tgz", "root-tgz", size));
        items.set("manifest", payload("centos/8/amd64/" + serial + "/root-tgz.manifest", "manifest", 40));
        return this;
    }

    /** A grub-efi-signed UEFI bootloader whose archive.tar.xz holds real files, and the unsynced pxelinux/amd64. */
    MirrorFixture bootloader(String serial) throws IOException {
        ObjectNode product = product(BOOTLOADER_LIST, "com.ubuntu.maas.stable:1:grub-efi-signed:uefi:amd64");
        product.put("arch", "amd64").put("arches", "amd64").put("bootloader-type", "uefi").put("label", "stable")
                .put("os", "grub-efi-signed");
        ObjectNode items = version(product, serial);
        String rel = "bootloaders/uefi/amd64/" + serial + "/grub2-signed.tar.xz";
        Path file = mirror.resolve(rel);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(out))) {
            for (String entry : new String[] {"grubx64.efi", "grub/grub.cfg"}) {
                byte[] data = ("content of " + entry + "\n").getBytes();
                TarArchiveEntry e = new TarArchiveEntry(entry);
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        items.set("grub2-signed", describe(rel, "archive.tar.xz").put("src_package", "grub2-signed")
                .put("src_release", "noble").put("src_version", "1.0"));
        ObjectNode pxe = product(BOOTLOADER_LIST, "com.ubuntu.maas.stable:1:pxelinux:pxe:amd64");
        pxe.put("arch", "amd64").put("arches", "amd64").put("bootloader-type", "pxe").put("label", "stable")
                .put("os", "pxelinux");
        version(pxe, serial).set("syslinux", payload("bootloaders/pxe/amd64/" + serial + "/syslinux.tar.xz",
                "archive.tar.xz", 100));
        return this;
    }

    /** Writes product lists and index, all three forms, signed. */
    MirrorFixture publish() throws IOException {
        Path streams = Files.createDirectories(mirror.resolve("streams/v1"));
        ObjectNode json = JSON.createObjectNode().put("format", "index:1.0").put("updated", "Thu, 24 Jul 2025 08:01:49 +0000");
        ObjectNode signed = json.deepCopy();
        ObjectNode idx = json.putObject("index");
        ObjectNode sidx = signed.putObject("index");
        for (var e : lists.entrySet()) {
            Path list = streams.resolve(e.getKey() + ".json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(list.toFile(), e.getValue());
            gpg.clearSign(list, streams.resolve(e.getKey() + ".sjson"));
            gpg.detachSign(list, streams.resolve(e.getKey() + ".json.gpg"), true);
            ObjectNode entry = idx.putObject(e.getKey()).put("datatype", "image-ids").put("format", "products:1.0")
                    .put("path", "streams/v1/" + e.getKey() + ".json").put("updated", "Thu, 24 Jul 2025 08:01:49 +0000");
            var names = entry.putArray("products");
            e.getValue().path("products").fieldNames().forEachRemaining(names::add);
            ObjectNode sentry = entry.deepCopy().put("path", "streams/v1/" + e.getKey() + ".sjson");
            sidx.set(e.getKey(), sentry);
        }
        Path index = streams.resolve("index.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(index.toFile(), json);
        gpg.detachSign(index, streams.resolve("index.json.gpg"), false);
        Path plain = mirror.getParent().resolve("index-for-sjson.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(plain.toFile(), signed);
        gpg.clearSign(plain, streams.resolve("index.sjson"));
        Files.delete(plain);
        return this;
    }

    private ObjectNode product(String list, String name) {
        ObjectNode l = lists.computeIfAbsent(list, k -> {
            ObjectNode n = JSON.createObjectNode().put("content_id", k).put("datatype", "image-downloads")
                    .put("format", "products:1.0").put("updated", "Thu, 24 Jul 2025 08:01:49 +0000");
            n.putObject("products");
            return n;
        });
        ObjectNode products = (ObjectNode) l.get("products");
        return products.has(name) ? (ObjectNode) products.get(name) : products.putObject(name);
    }

    private static ObjectNode version(ObjectNode product, String serial) {
        ObjectNode versions = product.has("versions") ? (ObjectNode) product.get("versions") : product.putObject("versions");
        return versions.putObject(serial).putObject("items");
    }

    private ObjectNode payload(String rel, String ftype, long size) throws IOException {
        Path file = mirror.resolve(rel);
        Files.createDirectories(file.getParent());
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0;) {
                random.nextBytes(buf);
                int n = (int) Math.min(left, buf.length);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return describe(rel, ftype);
    }

    private ObjectNode describe(String rel, String ftype) throws IOException {
        Path file = mirror.resolve(rel);
        return JSON.createObjectNode().put("ftype", ftype).put("path", rel).put("sha256", sha256(file))
                .put("size", Files.size(file));
    }

    static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
