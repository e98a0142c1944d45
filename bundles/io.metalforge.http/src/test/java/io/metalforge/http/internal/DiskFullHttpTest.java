package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API with its database and spool on a real 16 MiB tmpfs mounted for the test (needs root, as CI runs; skipped
 * with the reason otherwise): another writer fills it, clients get 507 or 503 with a message (never a 500), the
 * writer frees it, and the same server answers again without a restart, having lost nothing.
 */
class DiskFullHttpTest {

    @TempDir
    Path folder;

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    @Test
    void aFullDiskIsAClearAnswerAndTheServiceHealsWhenSpaceReturns() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small tmpfs needs root (CI runs as root)");
        Path mount = folder.resolve("small");
        Files.createDirectories(mount);
        run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", mount.toString());
        TestServer server = null;
        try {
            server = new TestServer(mount, new FormLimits(100, 1 << 20, 1 << 20, 2 << 20, 1 << 20), new BodyPolicy(64 * 1024, 5_000, 16,
                    new RequestBody.Rate(1024, 30), 4L << 20, 5_000));
            server.add(new ApiHttpTest.EchoHandler());
            server.users.createUser("bob", "bob@example.com", false);
            ApiKey key = server.users.createKey("bob", "t").orElseThrow();
            assertEquals(200, server.get("users/?op=whoami", key).statusCode());
            MaasCliMultipart upload = new MaasCliMultipart().file("keyring_data", new byte[100_000]);

            Path filler = mount.resolve("filler");
            run("sh", "-c", "dd if=/dev/zero of=" + filler + " bs=64k 2>/dev/null; sync; true");

            // a file part: refused before spooling, the reserve would be eaten
            HttpResponse<String> spool = server.send(HttpRequest.newBuilder(server.uri("echo/1/"))
                    .header("Authorization", server.sign(key)).header("Content-Type", upload.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body())));
            assertEquals(507, spool.statusCode(), spool.body());
            assertTrue(spool.body().startsWith("No space left on device: the server's disk is full."), spool.body());

            // signed requests write their nonce: they fail clearly while the disk is full
            boolean sawDiskFull = false;
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = server.get("users/?op=whoami", key);
                assertFalse(r.statusCode() == 500, "never a 500 for a full disk: " + r.body());
                assertFalse(r.body().contains("Exception"), r.body());
                if (r.statusCode() == 507) {
                    sawDiskFull = true;
                } else {
                    assertTrue(r.statusCode() == 503 || r.statusCode() == 200, r.statusCode() + " " + r.body());
                }
            }
            assertTrue(sawDiskFull || server.log.stream().anyMatch(l -> l.contains("507")),
                    "the full disk was reported: " + server.log);

            Files.delete(filler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = server.get("users/?op=whoami", key).statusCode();
                if (status != 200) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status, "the same server answers again once space returned, without a restart");
            assertEquals(List.of("bob"), server.users.users().stream().map(UserAccount::username).toList(),
                    "nothing was lost");
            HttpResponse<String> after = server.send(HttpRequest.newBuilder(server.uri("echo/1/"))
                    .header("Authorization", server.sign(key)).header("Content-Type", upload.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body())));
            assertEquals(200, after.statusCode(), after.body());
            assertTrue(server.log.stream().noneMatch(l -> l.startsWith("ERROR")), "no bug logged: " + server.log);
        } finally {
            if (server != null) {
                server.close();
            }
            run("umount", "-l", mount.toString());
        }
    }
}
