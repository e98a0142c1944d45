package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.metalforge.db.internal.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API with its database and spool on a real 16 MiB tmpfs mounted for the test (needs root, as CI runs; without
 * it the test fails with the reason): another writer fills it, clients get 507 (or 503 while the database reopens)
 * with a message, never a 500 or an exception's text; once the space is freed, writes are accepted again without a
 * restart and every write acknowledged before is still there.
 */
class DiskFullHttpTest {

    @TempDir
    Path folder;

    static HttpResponse<String> createToken(TestServer server, ApiKey key, String name) throws Exception {
        return server.send(HttpRequest.newBuilder(server.uri("account/?op=create_authorisation_token"))
                .header("Authorization", server.sign(key)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + name)));
    }

    static void assertClear(HttpResponse<String> r) {
        assertFalse(r.statusCode() == 500, "never a 500 for a full disk: " + r.body());
        assertFalse(r.body().contains("Exception"), r.body());
        assertTrue(List.of(200, 503, 507).contains(r.statusCode()), r.statusCode() + " " + r.body());
    }

    @Test
    void aFullDiskIsAClearAnswerAndHealsWithoutRestartKeepingEveryWrite() throws Exception {
        TestServer server = null;
        try (SmallFileSystem disk = SmallFileSystem.mount(folder.resolve("small"), 16)) {
            Path mount = disk.root();
            server = new TestServer(mount, new FormLimits(100, 1 << 20, 1 << 20, 2 << 20, 1 << 20), new BodyPolicy(64 * 1024, 5_000, 16,
                    new RequestBody.Rate(1024, 30), 4L << 20, 5_000));
            server.add(new ApiHttpTest.EchoHandler());
            server.users.createUser("bob", "bob@example.com", false);
            ApiKey key = server.users.createKey("bob", "t").orElseThrow();
            assertEquals(200, server.get("users/?op=whoami", key).statusCode());
            MaasCliMultipart upload = new MaasCliMultipart().file("keyring_data", new byte[100_000]);

            disk.fill();

            // a file part: refused before spooling, the reserve would be eaten
            HttpResponse<String> spool = server.send(HttpRequest.newBuilder(server.uri("echo/1/"))
                    .header("Authorization", server.sign(key)).header("Content-Type", upload.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body())));
            assertEquals(507, spool.statusCode(), spool.body());
            assertTrue(spool.body().startsWith("No space left on device: the server's disk is full."), spool.body());

            // requests that write to the database (a new API key each) go on while H2 finds room in its file and
            // in its reserve, then fail clearly; reads keep answering
            List<String> acknowledged = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 600 && refused < 3; i++) {
                String name = "full" + i + "-" + "k".repeat(150);
                HttpResponse<String> w = createToken(server, key, name);
                assertClear(w);
                if (w.statusCode() == 200) {
                    acknowledged.add(name);
                } else if (w.statusCode() == 507) {
                    refused++;
                }
            }
            assertEquals(3, refused, "the full disk was named: " + server.log);
            for (int i = 0; i < 5; i++) {
                assertClear(server.get("users/?op=whoami", key));
            }

            disk.free();
            boolean healed = false;
            for (int i = 0; i < 50 && !healed; i++) {
                String name = "healed" + i + "-";
                HttpResponse<String> w = createToken(server, key, name);
                assertClear(w);
                if (w.statusCode() == 200) {
                    acknowledged.add(name);
                    healed = true;
                } else {
                    Thread.sleep(200);
                }
            }
            assertTrue(healed, "writes are accepted again once space is freed, without a restart: " + server.log);
            assertEquals(200, server.get("users/?op=whoami", key).statusCode());
            HttpResponse<String> tokens = server.get("account/?op=list_authorisation_tokens", key);
            assertEquals(200, tokens.statusCode(), tokens.body());
            for (String name : acknowledged) {
                assertTrue(tokens.body().contains("\"" + name), "kept: " + name);
            }
            assertTrue(server.log.stream().noneMatch(l -> l.startsWith("ERROR")), "no bug logged: " + server.log);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }
}
