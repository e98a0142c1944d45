package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
 * MAAS v3's single-request upload ({@code POST /MAAS/a/v3/custom_images}) over real HTTP on loopback: the catalog's
 * v3 handler behind the v3 servlet, next to the v2 servlet (to read the result back), on the Jetty 12 that Felix
 * embeds, with the same OAuth PLAINTEXT keys. It lives in the dispatcher's package to wire the servlets without OSGi.
 */
class V3CustomImagesHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Platform platform;
    private Server jetty;
    private int port;
    private ApiKey admin;
    private ApiKey user;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicLong nonce = new AtomicLong(System.nanoTime());

    @BeforeEach
    void start() throws Exception {
        // nothing synced: a fresh appliance takes custom images for the architectures its OS handlers support
        platform = new Platform(dir);
        UserStore users = new UserStore(platform.database, Clock.systemUTC());
        users.createUser("admin", "admin@example.com", true);
        users.createUser("alice", "alice@example.com", false);
        admin = users.createKey("admin", "cli").orElseThrow();
        user = users.createKey("alice", "cli").orElseThrow();
        ApiServlet v2 = new ApiServlet(users, dir.resolve("spool"), FormLimits.DEFAULT, null);
        v2.addActive(platform.resources);
        v2.addActive(platform.resource);
        v2.addActive(platform.upload);
        V3Servlet v3 = new V3Servlet(users, null);
        v3.addHandler(platform.customImages);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(v2), "/MAAS/api/2.0/*");
        context.addServlet(new ServletHolder(v3), "/MAAS/a/v3/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private String oauth(ApiKey key) {
        return "OAuth oauth_nonce=\"" + nonce.incrementAndGet() + "\", oauth_timestamp=\""
                + System.currentTimeMillis() / 1000 + "\", oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", "
                + "oauth_consumer_key=\"" + key.consumerKey() + "\", oauth_token=\"" + key.tokenKey()
                + "\", oauth_signature=\"%26" + key.secret() + "\"";
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> post(ApiKey key, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/MAAS/a/v3/custom_images"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", oauth(key));
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode v2(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/MAAS/api/2.0/" + path))
                .header("Authorization", oauth(admin)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void assertV3Error(HttpResponse<String> r, int status, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("Error", body.get("kind").asText());
        assertEquals(status, body.get("code").asInt());
        if (message != null) {
            assertEquals(message, body.get("message").asText());
        }
    }

    private long uploadedCount() throws Exception {
        return v2("boot-resources/?type=uploaded").size();
    }

    private long blobsHolding(byte[] content) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.size(f) == content.length && java.util.Arrays.equals(Files.readAllBytes(f), content);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void uploadsInOneRequestAndListsCompleteWithItsReport() throws Exception {
        byte[] image = Images.ubuntuTgz(true, 6 << 20, 51);
        HttpResponse<String> created = post(admin, Map.of("name", "v3-noble", "sha256", Images.sha256(image),
                "architecture", "amd64/generic", "file-type", "tgz", "title", "V3 noble", "base-image", "ubuntu/noble"),
                image);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("ETag").orElse("").matches("\"[0-9a-f]{64}\""));
        JsonNode body = JSON.readTree(created.body());
        assertEquals("Image", body.get("kind").asText());
        assertEquals("custom", body.get("os").asText());
        assertEquals("v3-noble", body.get("release").asText());
        assertEquals("V3 noble", body.get("title").asText());
        assertEquals("amd64/generic", body.get("architecture").asText());
        long id = body.get("id").asLong();
        assertEquals("/MAAS/a/v3/custom_images/" + id, body.get("_links").get("self").get("href").asText());

        JsonNode resource = v2("boot-resources/" + id + "/");
        assertEquals("v3-noble", resource.get("name").asText());
        JsonNode set = resource.get("sets").elements().next();
        assertTrue(set.get("complete").asBoolean());
        JsonNode file = set.get("files").elements().next();
        assertTrue(file.get("complete").asBoolean());
        assertEquals(Images.sha256(image), file.get("sha256").asText());
        assertEquals(image.length, file.get("size").asLong());
        assertEquals("ok", file.get("image_verdict").asText());
        assertTrue(file.has("image_format"));
        assertArrayEquals(image, Files.readAllBytes(dir.resolve("blobs").resolve(Images.sha256(image))));

        // v3 stays out of v2's describe
        String describe = client.send(HttpRequest.newBuilder(uri("/MAAS/api/2.0/describe/")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(describe.contains("CustomImagesV3Handler"), describe);
    }

    private HttpResponse<String> v2Create(Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return client.send(HttpRequest.newBuilder(uri("/MAAS/api/2.0/boot-resources/"))
                .header("Authorization", oauth(admin)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFreshApplianceTakesItsFirstImageOfflineAndRefusalsListTheChoices() throws Exception {
        assertTrue(platform.catalog.usableArchitectures().isEmpty(), "nothing synced");
        byte[] image = Images.ubuntuTgz(true, 10_000, 54);
        String sha = Images.sha256(image);
        HttpResponse<String> v3 = post(admin, Map.of("name", "first", "sha256", sha, "architecture", "amd64/generic",
                "base-image", "ubuntu/noble"), image);
        assertEquals(201, v3.statusCode(), v3.body());
        assertEquals("ok", v2("boot-resources/" + JSON.readTree(v3.body()).get("id").asLong() + "/").get("sets")
                .elements().next().get("files").elements().next().get("image_verdict").asText());
        Map<String, String> form = Map.of("name", "first-v2", "architecture", "arm64/generic", "sha256", sha, "size",
                Integer.toString(image.length), "base_image", "centos/centos8");
        HttpResponse<String> v2 = v2Create(form);
        assertEquals(201, v2.statusCode(), v2.body());
        assertEquals("arm64/generic", JSON.readTree(v2.body()).get("architecture").asText());
        assertEquals("centos/centos8", JSON.readTree(v2.body()).get("base_image").asText());

        // refusals name the valid choices, as the installed OS handlers give them
        assertV3Error(post(admin, Map.of("name", "x", "sha256", sha, "architecture", "mips/generic"), image), 400,
                "mips/generic is not a valid usable architecture; usable: amd64/generic, arm64/generic, "
                        + "armhf/generic, i386/generic, ppc64el/generic, riscv64/generic, s390x/generic");
        assertV3Error(post(admin, Map.of("name", "x", "sha256", sha, "architecture", "amd64/generic", "base-image",
                "rocky/9"), image), 400, "OS handler 'rocky' is not installed; installed: centos, custom, esxi, ol, "
                        + "rhel, suse, ubuntu, windows");
        HttpResponse<String> bogus = v2Create(Map.of("name", "x", "architecture", "amd64/generic", "sha256", sha,
                "size", Integer.toString(image.length), "base_image", "ubuntu/bogus"));
        assertEquals(400, bogus.statusCode());
        String message = JSON.readTree(bogus.body()).get("base_image").get(0).asText();
        assertTrue(message.startsWith("'bogus' is not a Ubuntu release; valid releases: precise, trusty, "), message);
        assertTrue(message.contains(", noble"), message);
        HttpResponse<String> arch = v2Create(Map.of("name", "x", "architecture", "sparc/generic", "sha256", sha,
                "size", Integer.toString(image.length)));
        assertEquals(400, arch.statusCode());
        assertEquals("Select a valid choice. sparc/generic is not one of the available choices: amd64/generic, "
                + "arm64/generic, armhf/generic, i386/generic, ppc64el/generic, riscv64/generic, s390x/generic.",
                JSON.readTree(arch.body()).get("architecture").get(0).asText());
        assertEquals(2, uploadedCount());
    }

    @Test
    void missingOrInvalidHeadersGiveV3Errors() throws Exception {
        byte[] image = Images.ubuntuTgz(true, 10_000, 52);
        String sha = Images.sha256(image);
        assertV3Error(post(admin, Map.of("name", "v3img", "architecture", "amd64/generic"), image), 400,
                "The headers name, sha256 and architecture are required.");
        assertV3Error(post(admin, Map.of("name", "v3img", "sha256", sha, "architecture", "amd64"), image), 400,
                "Not a valid architecture string, needs to be in form '<arch>/<subarch>'");
        assertV3Error(post(admin, Map.of("name", "ubuntu/mine", "sha256", sha, "architecture", "amd64/generic"),
                image), 400, "To upload an Ubuntu custom image you have to specify 'custom' as the OS");
        assertV3Error(post(admin, Map.of("name", "v3img", "sha256", sha, "architecture", "amd64/generic",
                "file-type", "zip"), image), 400, "Invalid file type zip. Valid choices: tgz (root-tgz), tbz (root-tbz), "
                + "txz (root-txz), ddtgz (root-dd), ddtbz (root-dd.tar.bz2), ddtxz (root-dd.tar.xz), ddtar (root-dd.tar), "
                + "ddbz2 (root-dd.bz2), ddgz (root-dd.gz), ddxz (root-dd.xz), ddraw (root-dd.raw), self-extracting.");
        assertEquals(0, uploadedCount());
    }

    @Test
    void contentAlreadyStoredIsCheckedForTheNewDeclaration() throws Exception {
        byte[] other = Images.ubuntuTgz(true, 10_000, 55);
        HttpResponse<String> firstTime = post(admin, Map.of("name", "v3-first", "sha256", Images.sha256(other),
                "architecture", "amd64/generic", "file-type", "ddxz"), other);
        assertEquals(400, firstTime.statusCode(), firstTime.body());
        byte[] image = Images.ubuntuTgz(true, 10_000, 56);
        assertEquals(201, post(admin, Map.of("name", "v3-golden", "sha256", Images.sha256(image), "architecture",
                "amd64/generic"), image).statusCode());
        HttpResponse<String> again = post(admin, Map.of("name", "v3-golden-dd", "sha256", Images.sha256(image),
                "architecture", "amd64/generic", "file-type", "ddxz"), image);
        assertV3Error(again, 400, JSON.readTree(firstTime.body()).get("message").asText());
        assertTrue(again.body().contains("Declared filetype root-dd.xz"), again.body());
        assertEquals(1, uploadedCount());
    }

    @Test
    void onlyAuthenticatedAdminsMayUpload() throws Exception {
        byte[] image = Images.ubuntuTgz(true, 10_000, 53);
        Map<String, String> headers = Map.of("name", "v3img", "sha256", Images.sha256(image), "architecture",
                "amd64/generic");
        HttpResponse<String> anonymous = post(null, headers, image);
        assertV3Error(anonymous, 401, null);
        assertEquals("OAuth realm=\"MAAS API\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));

        HttpRequest forged = HttpRequest.newBuilder(uri("/MAAS/a/v3/custom_images"))
                .header("Authorization", oauth(admin).replace(admin.secret(), "wrong"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        assertV3Error(client.send(forged, HttpResponse.BodyHandlers.ofString()), 401,
                "Authorization Error: 'Invalid signature.'");

        assertV3Error(post(user, headers, image), 403, "User does not have permission to perform this operation.");
        assertEquals(0, uploadedCount());

        assertV3Error(client.send(HttpRequest.newBuilder(uri("/MAAS/a/v3/nothing_here")).header("Authorization",
                oauth(admin)).GET().build(), HttpResponse.BodyHandlers.ofString()), 404, null);
        assertV3Error(client.send(HttpRequest.newBuilder(uri("/MAAS/a/v3/custom_images")).header("Authorization",
                oauth(admin)).PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                HttpResponse.BodyHandlers.ofString()), 405, null);
    }

    @Test
    void wrongSha256StoresNothing() throws Exception {
        byte[] image = Images.ubuntuTgz(true, 1 << 20, 54);
        String claimed = "0".repeat(64);
        assertV3Error(post(admin, Map.of("name", "v3img", "sha256", claimed, "architecture", "amd64/generic"), image),
                400, "Provided SHA256 does not match calculated one. Make sure the file uploaded has the SHA256 "
                        + "equal to '" + claimed + "'");
        assertEquals(0, uploadedCount());
        assertEquals(0, blobsHolding(image));
        try (Stream<Path> partials = Files.list(dir.resolve("blobs").resolve(".partial"))) {
            assertEquals(0, partials.count());
        }
    }

    @Test
    void bodyLongerThanContentLengthIsNeverReadIntoTheImage() throws Exception {
        byte[] image = Images.ubuntuTgz(true, 100_000, 55);
        byte[] trailing = "TRAILING-GARBAGE".getBytes(StandardCharsets.US_ASCII);
        // A raw socket: java.net.http cannot send more bytes than it declares.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            String head = "POST /MAAS/a/v3/custom_images HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: " + oauth(admin) + "\r\nname: v3-raw\r\nsha256: " + Images.sha256(image) + "\r\n"
                    + "architecture: amd64/generic\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + image.length + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(image);
            out.write(trailing);
            out.flush();
            String status = firstLine(socket.getInputStream());
            assertEquals("HTTP/1.1 201 Created", status);
        }
        // exactly the declared bytes were stored, complete, and the rest was not taken as image data
        assertArrayEquals(image, Files.readAllBytes(dir.resolve("blobs").resolve(Images.sha256(image))));
        JsonNode listed = v2("boot-resources/?type=uploaded");
        assertEquals(1, listed.size());
        JsonNode resource = v2("boot-resources/" + listed.get(0).get("id").asLong() + "/");
        assertTrue(resource.get("sets").elements().next().get("complete").asBoolean());

        // no declared size at all (chunked): refused, nothing stored. The refusal comes before the body is read, so
        // the client waits for 100 Continue before sending it (without, its write races the server's close)
        HttpRequest chunked = HttpRequest.newBuilder(uri("/MAAS/a/v3/custom_images")).expectContinue(true)
                .header("Authorization", oauth(admin)).header("name", "v3-chunked")
                .header("sha256", Images.sha256(image)).header("architecture", "amd64/generic")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(image))).build();
        assertV3Error(client.send(chunked, HttpResponse.BodyHandlers.ofString()), 400, "Missing data.");
        assertEquals(1, v2("boot-resources/?type=uploaded").size());
    }

    private static String firstLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
