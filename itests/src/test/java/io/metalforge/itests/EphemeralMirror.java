package io.metalforge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SimpleStreams mirror (MAAS's ephemeral-v3 layout) on disk with one product, {@code ubuntu/noble} amd64, whose
 * boot-kernel and boot-initrd are the real-boot test's guest: Metalforge syncs it through the MAAS API as it syncs
 * images.maas.io, and boots it as the ephemeral environment of a custom image whose base image is ubuntu/noble. The
 * index and product list are clearsigned by real gpg with a key made for the run ({@code .sjson}, as images.maas.io
 * publishes them); the public key is written as the source's keyring, so the sync verifies them as it verifies
 * Ubuntu's.
 */
final class EphemeralMirror {

    static final String LIST = "com.ubuntu.maas:stable:v3:download";
    static final String PRODUCT = "com.ubuntu.maas.stable:v3:boot:24.04:amd64:ga-24.04";
    static final String UPDATED = "Thu, 26 Nov 2026 12:00:00 +0000";

    private EphemeralMirror() {
    }

    /** Writes the mirror under {@code mirror}, signed with a new key whose public part goes to {@code keyring}. */
    static String write(Path mirror, Path kernel, Path initrd, Path squashfs, Path keyring)
            throws IOException, InterruptedException {
        String dir = "noble/amd64/20261126/";
        Map<String, String[]> items = new LinkedHashMap<>();
        items.put("boot-kernel", new String[] {dir + "ga-24.04/generic/boot-kernel", "boot-kernel"});
        items.put("boot-initrd", new String[] {dir + "ga-24.04/generic/boot-initrd", "boot-initrd"});
        items.put("squashfs", new String[] {dir + "squashfs", "squashfs"});
        items.put("manifest", new String[] {dir + "squashfs.manifest", "manifest"});
        Map<String, Path> sources = Map.of("boot-kernel", kernel, "boot-initrd", initrd, "squashfs", squashfs);
        StringBuilder json = new StringBuilder();
        for (Map.Entry<String, String[]> e : items.entrySet()) {
            Path file = mirror.resolve(e.getValue()[0]);
            Files.createDirectories(file.getParent());
            if (sources.containsKey(e.getKey())) {
                Files.copy(sources.get(e.getKey()), file);
            } else {
                Files.writeString(file, "busybox\tstatic\n");
            }
            json.append(json.length() == 0 ? "" : ",\n").append(String.format(
                    "        \"%s\": {\"ftype\": \"%s\", \"path\": \"%s\", \"sha256\": \"%s\", \"size\": %d}",
                    e.getKey(), e.getValue()[1], e.getValue()[0], sha256(file), Files.size(file)));
        }
        Path streams = Files.createDirectories(mirror.resolve("streams/v1"));
        Files.writeString(streams.resolve(LIST + ".json"), "{\"content_id\": \"" + LIST + "\", "
                + "\"datatype\": \"image-downloads\", \"format\": \"products:1.0\", \"updated\": \"" + UPDATED + "\",\n"
                + " \"products\": {\"" + PRODUCT + "\": {\"arch\": \"amd64\", \"kflavor\": \"generic\", "
                + "\"krel\": \"noble\", \"label\": \"stable\", \"os\": \"ubuntu\", \"release\": \"noble\", "
                + "\"release_codename\": \"Noble Numbat\", \"release_title\": \"24.04 LTS\", \"subarch\": \"ga-24.04\", "
                + "\"subarches\": \"generic,ga-24.04\", \"support_eol\": \"2029-05-31\", \"version\": \"24.04\",\n"
                + "  \"versions\": {\"20261126\": {\"items\": {\n" + json + "\n  }}}}}}\n");
        Path index = streams.resolve("index.json");
        Files.writeString(index, "{\"format\": \"index:1.0\", \"updated\": \"" + UPDATED + "\", \"index\": {\""
                + LIST + "\": {\"datatype\": \"image-ids\", \"format\": \"products:1.0\", \"path\": \"streams/v1/"
                + LIST + ".sjson\", \"updated\": \"" + UPDATED + "\", \"products\": [\"" + PRODUCT + "\"]}}}\n");
        Path home = Files.createDirectories(mirror.resolveSibling("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try {
            gpg(home, "--quick-generate-key", "Metalforge real-boot mirror <realboot@example.invalid>", "ed25519",
                    "sign", "never");
            gpg(home, "--yes", "--clearsign", "--output", streams.resolve(LIST + ".sjson").toString(),
                    streams.resolve(LIST + ".json").toString());
            gpg(home, "--yes", "--clearsign", "--output", streams.resolve("index.sjson").toString(), index.toString());
            gpg(home, "--yes", "--output", keyring.toString(), "--export");
        } finally {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent").start().waitFor();
        }
        return streams.resolve("index.sjson").toUri().toString();
    }

    /** Runs gpg on the run's own key folder; fails with its output. */
    private static void gpg(Path home, String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("gpg", "--homedir", home.toString(),
                "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gpg " + String.join(" ", args) + " failed: " + said);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
