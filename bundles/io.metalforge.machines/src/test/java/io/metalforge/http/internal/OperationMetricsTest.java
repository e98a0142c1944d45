package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.metalforge.simplestreams.internal.SignedMirrorImport;

/**
 * /MAAS/metrics counts what the platform moved and did, read as Prometheus reads it: the bytes of a real upload
 * through the API (a root tarball made by tar, sent in two chunks as the maas CLI does), the bytes of a real import
 * from a mirror signed by gpg, and the power operations of a deployment (manual driver) by driver, operation and
 * result; promtool accepts the text.
 */
class OperationMetricsTest {

    @TempDir
    Path dir;

    @Test
    void uploadSyncAndPowerAreCounted() throws Exception {
        try (MachinesPlatform p = new MachinesPlatform(dir.resolve("platform"))) {
            String before = metrics(p);
            assertEquals(0, sample(before, "metalforge_sync_bytes_total"));
            assertEquals(0, sample(before, "metalforge_upload_bytes_total"));

            byte[] image = ubuntuRootTarball(dir.resolve("root"));
            upload(p, "metrics-golden", image);
            assertEquals(image.length, sample(metrics(p), "metalforge_upload_bytes_total"));

            long synced;
            try (SignedMirrorImport sync = new SignedMirrorImport(dir.resolve("sync"), p.db, p.catalog, p.counters)) {
                synced = sync.run();
            }
            assertTrue(synced >= 380_000, "kernel, initrd and squashfs of the test product: " + synced);
            assertEquals(synced, sample(metrics(p), "metalforge_sync_bytes_total"));

            String id = p.readyMachine("counted", "52:54:00:00:99:01");
            JsonNode m = p.apiJson("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series",
                    "custom/metrics-golden");
            assertEquals("Deploying", m.get("status_name").asText(), m.toString());
            String text = "";
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                text = metrics(p);
                if (text.contains("metalforge_power_operations_total{driver=\"manual\",operation=\"on\","
                        + "result=\"success\"} 1\n")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(text.contains("# TYPE metalforge_power_operations_total counter\n"), text);
            assertTrue(text.contains("metalforge_power_operations_total{driver=\"manual\",operation=\"on\","
                    + "result=\"success\"} 1\n"), text);
            promtool(text);
        }
    }

    /** An amd64 Ubuntu root tree (os-release, a real ELF kernel stand-in and shell, cloud-init, netplan), by tar. */
    static byte[] ubuntuRootTarball(Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=ubuntu\nVERSION_ID=\"24.04\"\n");
        Files.createDirectories(root.resolve("boot"));
        Files.copy(Path.of("/bin/true"), root.resolve("boot/vmlinuz-6.8.0-31-generic"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.copy(Path.of("/bin/true"), root.resolve("usr/bin/bash"));
        Files.writeString(root.resolve("usr/bin/cloud-init"), "#!/usr/bin/python3\n");
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve("usr/sbin/netplan"), "#!/usr/bin/python3\n");
        Path tgz = root.resolveSibling("root.tgz");
        Process tar = new ProcessBuilder("tar", "-C", root.toString(), "-czf", tgz.toString(), ".")
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return Files.readAllBytes(tgz);
    }

    /** As the maas CLI uploads: the create request with sha256 and size, then the content in chunks (PUT). */
    static void upload(MachinesPlatform p, String name, byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        JsonNode created = p.apiJson("POST", "boot-resources/", p.admin, "name", name, "architecture",
                "amd64/generic", "sha256", sha, "size", Long.toString(content.length), "filetype", "tgz",
                "base_image", "ubuntu/noble", "title", name);
        String uploadUri = created.findValue("upload_uri").asText();
        int half = content.length / 2;
        for (byte[] chunk : new byte[][] {Arrays.copyOfRange(content, 0, half),
                Arrays.copyOfRange(content, half, content.length)}) {
            HttpResponse<String> r = p.send(HttpRequest.newBuilder(URI.create(p.base() + uploadUri))
                    .header("Authorization", p.sign(p.admin)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)));
            assertEquals(200, r.statusCode(), r.body());
        }
        JsonNode resource = p.apiJson("GET", "boot-resources/" + created.get("id").asText() + "/", p.admin);
        assertTrue(resource.findValue("complete").asBoolean(), resource.toString());
    }

    static String metrics(MachinesPlatform p) throws Exception {
        HttpResponse<String> r = p.send(HttpRequest.newBuilder(URI.create(p.base() + "/MAAS/metrics")).GET());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The value of an unlabelled sample. */
    static long sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(metrics);
        assertTrue(m.find(), name + " in\n" + metrics);
        return Long.parseLong(m.group(1));
    }

    /** Debian's promtool (prometheus package, in .ci/run's list) checks the exposition. */
    void promtool(String metrics) throws Exception {
        Process check = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), metrics + "\n" + out);
    }
}
