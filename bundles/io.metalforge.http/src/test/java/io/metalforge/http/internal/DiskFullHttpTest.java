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
 * with the reason otherwise): another writer fills it, and clients get 507 or 503 with a message, never a 500 or an
 * exception's text.
 */
class DiskFullHttpTest {

    @TempDir
    Path folder;

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    static HttpResponse<String> createToken(TestServer server, ApiKey key, String name) throws Exception {
        return server.send(HttpRequest.newBuilder(server.uri("account/?op=create_authorisation_token"))
                .header("Authorization", server.sign(key)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + name)));
    }

    @Test
    void aFullDiskIsAClearAnswerNeverA500() throws Exception {
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

            // requests that write to the database (a new API key each) go on while H2 finds room in its file,
            // then fail clearly; reads keep answering
            boolean sawDiskFull = false;
            for (int i = 0; i < 300 && !sawDiskFull; i++) {
                HttpResponse<String> w = createToken(server, key, "full" + i + "-" + "k".repeat(150));
                assertFalse(w.statusCode() == 500, "never a 500 for a full disk: " + w.body());
                assertFalse(w.body().contains("Exception"), w.body());
                assertTrue(List.of(200, 503, 507).contains(w.statusCode()), w.statusCode() + " " + w.body());
                sawDiskFull = w.statusCode() == 507;
            }
            assertTrue(sawDiskFull, "the full disk was named: " + server.log);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = server.get("users/?op=whoami", key);
                assertTrue(List.of(200, 503, 507).contains(r.statusCode()), r.statusCode() + " " + r.body());
            }

            // Not asserted: that the embedded database heals once space returns. H2 closed by a failed checkpoint
            // can reopen as an empty database; that is open (docs/BENCHMARKS.md, hostile clients), so this test
            // checks only what holds: clear answers, never a 500, no bug logged.
            assertTrue(server.log.stream().noneMatch(l -> l.startsWith("ERROR")), "no bug logged: " + server.log);
        } finally {
            if (server != null) {
                server.close();
            }
            run("umount", "-l", mount.toString());
        }
    }
}
