package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.catalog.internal.Images;
import io.metalforge.catalog.internal.Platform;

/**
 * The maas CLI's upload flow (contract §3.4) over real HTTP on loopback: the catalog's handlers behind the platform's
 * dispatcher (OAuth PLAINTEXT, CLI multipart decoding) on the Jetty 12 that Felix embeds. Requests are built byte
 * for byte as maascli builds them. It lives in the dispatcher's package to wire the servlet without OSGi.
 */
class MaasCliUploadHttpTest {

    private static final int CHUNK = 1 << 22;
    /** Short, so that a stalled client is given up on within the test. */
    private static final int IDLE_MILLIS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Platform platform;
    private Server jetty;
    private int port;
    private ApiKey key;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicLong nonce = new AtomicLong(System.nanoTime());

    @BeforeEach
    void start() throws Exception {
        platform = new Platform(dir);
        platform.syncUbuntu();
        UserStore users = new UserStore(platform.database, Clock.systemUTC());
        users.createUser("admin", "admin@example.com", true);
        key = users.createKey("admin", "cli").orElseThrow();
        ApiServlet servlet = new ApiServlet(users, dir.resolve("spool"), FormLimits.DEFAULT, null);
        servlet.addActive(platform.resources);
        servlet.addActive(platform.resource);
        servlet.addActive(platform.upload);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(IDLE_MILLIS);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), "/MAAS/api/2.0/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private String oauth() {
        return "OAuth oauth_nonce=\"" + nonce.incrementAndGet() + "\", oauth_timestamp=\""
                + System.currentTimeMillis() / 1000 + "\", oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", "
                + "oauth_consumer_key=\"" + key.consumerKey() + "\", oauth_token=\"" + key.tokenKey()
                + "\", oauth_signature=\"%26" + key.secret() + "\"";
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** What maascli's boot_resources_create does: sorted fields, email-package multipart, every part base64. */
    private HttpResponse<String> createLikeTheCli(Map<String, String> fields) throws Exception {
        String boundary = "===============" + String.format("%019d", Math.abs(nonce.incrementAndGet()) % 1_000_000_000_000_000_000L)
                + "==";
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : new TreeMap<>(fields).entrySet()) {
            body.append("--").append(boundary).append("\r\n");
            body.append("Content-Type: text/plain; charset=\"utf-8\"\r\n");
            body.append("MIME-Version: 1.0\r\n");
            body.append("Content-Transfer-Encoding: base64\r\n");
            body.append("Content-Disposition: form-data; name=\"").append(field.getKey()).append("\"\r\n\r\n");
            String b64 = Base64.getEncoder().encodeToString(field.getValue().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < b64.length(); i += 76) {
                body.append(b64, i, Math.min(b64.length(), i + 76)).append("\r\n");
            }
            body.append("\r\n");
        }
        body.append("--").append(boundary).append("--");
        HttpRequest request = HttpRequest.newBuilder(uri("/MAAS/api/2.0/boot-resources/"))
                .header("Authorization", oauth())
                .header("Content-Type", "multipart/form-data; boundary=\"" + boundary + "\"")
                .header("mime-version", "1.0").header("accept-encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.US_ASCII)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The CLI's checks on the create reply: the string-greatest set holds exactly one file. */
    private static JsonNode onlyFileOfNewestSet(JsonNode resource) {
        JsonNode sets = resource.get("sets");
        List<String> versions = new ArrayList<>();
        sets.fieldNames().forEachRemaining(versions::add);
        String newest = versions.stream().max(String::compareTo).orElseThrow();
        JsonNode files = sets.get(newest).get("files");
        assertEquals(1, files.size());
        Iterator<JsonNode> it = files.elements();
        return it.next();
    }

    @Test
    void customImageUploadWithTheMaasCliFlow() throws Exception {
        byte[] image = Images.ubuntuTgz(false, 9 << 20, 42);
        HttpResponse<String> created = createLikeTheCli(Map.of("name", "packer-noble", "architecture",
                "amd64/generic", "title", "Packer noble", "base_image", "ubuntu/noble", "filetype", "tgz", "sha256",
                Images.sha256(image), "size", Integer.toString(image.length)));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode resource = JSON.readTree(created.body());
        JsonNode file = onlyFileOfNewestSet(resource);
        assertFalse(file.get("complete").asBoolean());
        URI upload = uri("/MAAS/api/2.0/boot-resources/").resolve(file.get("upload_uri").asText());

        for (int at = 0; at < image.length; at += CHUNK) {
            int length = Math.min(CHUNK, image.length - at);
            HttpRequest put = HttpRequest.newBuilder(upload).header("Authorization", oauth())
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(image, at, length)).build();
            HttpResponse<String> reply = client.send(put, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), reply.body());
            assertEquals("OK", reply.body());
        }

        HttpResponse<String> read = client.send(HttpRequest.newBuilder(
                uri("/MAAS/api/2.0/boot-resources/" + resource.get("id").asLong() + "/")).header("Authorization",
                        oauth()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode());
        JsonNode done = onlyFileOfNewestSet(JSON.readTree(read.body()));
        assertTrue(done.get("complete").asBoolean());
        assertFalse(done.has("upload_uri"));
        assertEquals("undeployable", done.get("image_verdict").asText());
        assertEquals(("custom image with an ubuntu base lacks netplan: deployment would abort "
                + "(looked for /usr/sbin/netplan, "
                + "/usr/bin/netplan, /sbin/netplan, /bin/netplan, /usr/share/netplan/netplan.script, "
                + "/usr/lib/netplan/generate)"),
                done.get("image_problems").get(0).asText());
        assertEquals("Packer noble", JSON.readTree(read.body()).get("title").asText());

        // the same content again: complete at once, the CLI uploads nothing
        HttpResponse<String> again = createLikeTheCli(Map.of("name", "packer-noble-copy", "architecture",
                "amd64/generic", "sha256", Images.sha256(image), "size", Integer.toString(image.length)));
        assertEquals(201, again.statusCode(), again.body());
        assertTrue(onlyFileOfNewestSet(JSON.readTree(again.body())).get("complete").asBoolean());

        // describe lists the handlers with the action the CLI special-cases
        HttpResponse<String> describe = client.send(HttpRequest.newBuilder(uri("/MAAS/api/2.0/describe/")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode handlers = JSON.readTree(describe.body()).get("resources");
        boolean found = false;
        for (JsonNode r : handlers) {
            if (r.get("name").asText().equals("BootResourcesHandler")) {
                for (JsonNode action : r.get("auth").get("actions")) {
                    found |= action.get("name").asText().equals("create") && action.get("doc").asText()
                            .contains(":param name:");
                }
            }
        }
        assertTrue(found, describe.body());
    }

    /** Sends every chunk of {@code image} to the file's upload_uri; returns the first reply that is not 200. */
    private HttpResponse<String> putChunks(JsonNode file, byte[] image) throws Exception {
        URI upload = uri("/MAAS/api/2.0/boot-resources/").resolve(file.get("upload_uri").asText());
        HttpResponse<String> reply = null;
        for (int at = 0; at < image.length; at += CHUNK) {
            int length = Math.min(CHUNK, image.length - at);
            reply = client.send(HttpRequest.newBuilder(upload).header("Authorization", oauth())
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(image, at, length)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() != 200) {
                return reply;
            }
        }
        return reply;
    }

    @Test
    void contentAlreadyStoredIsCheckedForTheNewDeclaration() throws Exception {
        // a first-time upload of a tgz declared as ddxz: refused at its first chunk
        byte[] other = Images.ubuntuTgz(true, 1 << 20, 7);
        HttpResponse<String> firstCreate = createLikeTheCli(Map.of("name", "first-time", "architecture",
                "amd64/generic", "filetype", "ddxz", "sha256", Images.sha256(other), "size",
                Integer.toString(other.length)));
        assertEquals(201, firstCreate.statusCode(), firstCreate.body());
        HttpResponse<String> firstTime = putChunks(onlyFileOfNewestSet(JSON.readTree(firstCreate.body())), other);
        assertEquals(400, firstTime.statusCode(), firstTime.body());

        // a tgz stored as tgz, then the same bytes declared as ddxz: the same refusal, not the twin's verdict
        byte[] image = Images.ubuntuTgz(true, 1 << 20, 8);
        HttpResponse<String> created = createLikeTheCli(Map.of("name", "golden", "architecture", "amd64/generic",
                "filetype", "tgz", "sha256", Images.sha256(image), "size", Integer.toString(image.length)));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(200, putChunks(onlyFileOfNewestSet(JSON.readTree(created.body())), image).statusCode());
        HttpResponse<String> again = createLikeTheCli(Map.of("name", "golden-dd", "architecture", "amd64/generic",
                "filetype", "ddxz", "sha256", Images.sha256(image), "size", Integer.toString(image.length)));
        assertEquals(400, again.statusCode(), again.body());
        assertEquals(firstTime.body(), again.body());
        assertTrue(again.body().startsWith("Declared filetype root-dd.xz"), again.body());

        // nothing was made for the refused one
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(uri("/MAAS/api/2.0/boot-resources/"))
                .header("Authorization", oauth()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(list.body().contains("golden-dd"), list.body());

        // same bytes, same filetype, but a base image whose OS needs what the image lacks is judged for that OS
        byte[] bare = Images.ubuntuTgz(false, 1 << 20, 9);
        HttpResponse<String> centos = createLikeTheCli(Map.of("name", "bare", "architecture", "amd64/generic",
                "base_image", "centos/9", "sha256", Images.sha256(bare), "size", Integer.toString(bare.length)));
        assertEquals(201, centos.statusCode(), centos.body());
        putChunks(onlyFileOfNewestSet(JSON.readTree(centos.body())), bare);
        HttpResponse<String> noble = createLikeTheCli(Map.of("name", "bare-noble", "architecture", "amd64/generic",
                "base_image", "ubuntu/noble", "sha256", Images.sha256(bare), "size", Integer.toString(bare.length)));
        assertEquals(201, noble.statusCode(), noble.body());
        JsonNode nobleFile = onlyFileOfNewestSet(JSON.readTree(noble.body()));
        assertTrue(nobleFile.get("complete").asBoolean());
        assertEquals("undeployable", nobleFile.get("image_verdict").asText(), noble.body());
        assertEquals(("custom image with an ubuntu base lacks netplan: deployment would abort "
                + "(looked for /usr/sbin/netplan, "
                + "/usr/bin/netplan, /sbin/netplan, /bin/netplan, /usr/share/netplan/netplan.script, "
                + "/usr/lib/netplan/generate)"),
                nobleFile.get("image_problems").get(0).asText());
    }

    @Test
    void aStalledClientGetsA408AndKeepsWhatArrived() throws Exception {
        byte[] image = Images.ubuntuTgz(true, 1 << 20, 10);
        JsonNode file = onlyFileOfNewestSet(JSON.readTree(createLikeTheCli(Map.of("name", "stalled", "architecture",
                "amd64/generic", "sha256", Images.sha256(image), "size", Integer.toString(image.length))).body()));
        String path = file.get("upload_uri").asText();
        int sent = 100_000;
        String reply;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + oauth()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + image.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(image, 0, sent);
            out.flush();
            // then nothing: the server's idle timeout ends the wait
            reply = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.ISO_8859_1);
        }
        assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
        assertTrue(reply.contains("Upload stalled: no data arrived within the server's idle timeout."), reply);
        HttpResponse<String> progress = client.send(HttpRequest.newBuilder(uri(path)).header("Authorization",
                oauth()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, progress.statusCode(), progress.body());
        // what the reply says is kept is what the upload resumes from
        long received = JSON.readTree(progress.body()).get("received").asLong();
        assertTrue(received <= sent && reply.contains(received + " bytes of this file are kept"), reply);
    }

    @Test
    void validationErrorsAndChunkErrorsOverHttp() throws Exception {
        HttpResponse<String> bad = createLikeTheCli(Map.of("name", "ubuntu", "architecture", "amd64/generic",
                "sha256", "0".repeat(64), "size", "10"));
        assertEquals(400, bad.statusCode());
        assertEquals("ubuntu is a reserved name", JSON.readTree(bad.body()).get("name").get(0).asText());

        byte[] image = Images.ubuntuTgz(true, 1000, 43);
        JsonNode file = onlyFileOfNewestSet(JSON.readTree(createLikeTheCli(Map.of("name", "small", "architecture",
                "amd64/generic", "sha256", Images.sha256(image), "size", Integer.toString(image.length))).body()));
        URI upload = uri(file.get("upload_uri").asText());
        ByteArrayOutputStream tooMuch = new ByteArrayOutputStream();
        tooMuch.writeBytes(image);
        tooMuch.writeBytes(new byte[10]);
        HttpResponse<String> overflow = client.send(HttpRequest.newBuilder(upload).header("Authorization", oauth())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tooMuch.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, overflow.statusCode());
        assertEquals("Too much data received.", overflow.body());

        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(upload)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());

        HttpResponse<String> whole = client.send(HttpRequest.newBuilder(upload).header("Authorization", oauth())
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(image))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, whole.statusCode(), whole.body());
    }
}
