package io.metalforge.example.source.imagedir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamProduct;
import io.metalforge.api.source.StreamSourceException;

/** An image folder with a manifest really signed by gpg, read as the sync reads it. */
class ImageFolderSourceTest {

    @TempDir
    Path dir;

    @Test
    void aSignedFolderReadsAsOneProductPerImageAndABadSignatureFails() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("images"));
        byte[] kernel = "kernel of noble".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(folder.resolve("noble"));
        Files.write(folder.resolve("noble/boot-kernel"), kernel);
        String manifest = "{\"images\": [{\"os\": \"ubuntu\", \"release\": \"noble\", \"version\": \"24.04\", "
                + "\"arch\": \"amd64\", \"serial\": \"20250101\", \"files\": [{\"ftype\": \"boot-kernel\", "
                + "\"path\": \"noble/boot-kernel\", \"sha256\": \"" + sha256(kernel) + "\", \"size\": "
                + kernel.length + "}]}]}";
        Files.writeString(folder.resolve("manifest.json"), manifest);
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        gpg(home, "--quick-generate-key", "Image folder <images@example.invalid>", "ed25519", "sign", "never");
        gpg(home, "--armor", "--detach-sign", "--output", folder.resolve("manifest.json.asc").toString(),
                folder.resolve("manifest.json").toString());
        Path keyring = dir.resolve("keyring.gpg");
        gpg(home, "--export", "--output", keyring.toString());

        ImageFolderSource source = new ImageFolderSource();
        URI url = URI.create("imagedir+" + folder.toUri());
        assertTrue(source.supports(url));
        assertFalse(source.supports(URI.create("http://images.maas.io/ephemeral-v3/stable")));
        StreamCatalogue c = source.readCatalogue(url, SignaturePolicy.keyringFile(keyring));
        StreamProduct p = c.products().get(0);
        assertEquals(List.of("ubuntu", "noble", "amd64"), List.of(p.os(), p.release(), p.arch()));
        assertEquals("20250101", p.latestVersion().orElseThrow().name());
        try (InputStream in = source.openItem(c.mirrorRoot(), "noble/boot-kernel", 7)) {
            assertArrayEquals("of noble".getBytes(StandardCharsets.UTF_8), in.readAllBytes(), "resumes at 7");
        }

        Files.writeString(folder.resolve("manifest.json"), manifest.replace("noble", "jammy"));
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> source.readCatalogue(url, SignaturePolicy.keyringFile(keyring)));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
        assertThrows(StreamSourceException.class, () -> source.openItem(c.mirrorRoot(), "../keyring.gpg", 0));
    }

    private static void gpg(Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--homedir",
                home.toString(), "--passphrase", "", "--pinentry-mode", "loopback"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
