package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiOperations;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.FormFile;

/** The dispatcher through real HTTP on loopback: routing, describe, auth answers, forms, raw bodies. */
class ApiHttpTest {

    @TempDir
    static Path data;

    static TestServer server;
    static ApiKey admin;
    static ApiKey user;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A handler that shows what the dispatcher handed it. */
    static final class EchoHandler implements ApiHandler {
        @Override
        public String name() {
            return "EchoHandler";
        }

        @Override
        public String doc() {
            return "Echo what arrives.";
        }

        @Override
        public String path() {
            return "echo/{id}/";
        }

        @Override
        public List<ApiAction> actions() {
            return List.of(ApiAction.crud("POST", "Create\n\n:param x: Optional.\n:type x: string\n", Access.AUTHENTICATED),
                    ApiAction.crud("PUT", "Upload a raw body.", Access.AUTHENTICATED),
                    ApiAction.crud("DELETE", "Delete.", Access.AUTHENTICATED),
                    ApiAction.crud("GET", "Read.", Access.AUTHENTICATED),
                    ApiAction.op("POST", "admin_thing", "Admins only.", Access.ADMIN),
                    ApiAction.op("GET", "peek", "Anonymous.", Access.ANONYMOUS),
                    ApiAction.op("GET", "boom", "Fails.", Access.AUTHENTICATED),
                    ApiAction.op("POST", "invalid", "Validation failure.", Access.AUTHENTICATED));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
            try {
                if ("boom".equals(action.op())) {
                    throw new IllegalStateException("secret internal detail");
                }
                if ("invalid".equals(action.op())) {
                    throw ApiException.validation(Map.of("name", List.of("This field is required.")));
                }
                if (action.method().equals("DELETE")) {
                    return ApiResponse.deleted();
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("action", action.name());
                out.put("op", request.op());
                out.put("path", request.pathParameters());
                out.put("params", request.parameters());
                out.put("user", request.user().username());
                out.put("base", request.baseUrl());
                if (action.method().equals("PUT")) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    long n = 0;
                    try (InputStream in = request.body()) {
                        byte[] buf = new byte[65536];
                        int r;
                        while ((r = in.read(buf)) > 0) {
                            sha.update(buf, 0, r);
                            n += r;
                        }
                    }
                    out.put("length", request.contentLength());
                    out.put("read", n);
                    out.put("sha256", HexFormat.of().formatHex(sha.digest()));
                }
                Map<String, Object> files = new LinkedHashMap<>();
                for (FormFile f : request.files()) {
                    try (InputStream in = f.open()) {
                        files.put(f.name(), Map.of("filename", f.filename(), "size", f.size(), "sha256",
                                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()))));
                    }
                }
                out.put("files", files);
                return ApiResponse.json(out);
            } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final EchoHandler ECHO = new EchoHandler();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(data, new FormLimits(50, 1 << 16, 1 << 20, 2 << 20, 1 << 16));
        server.add(ECHO);
        server.users.createUser("admin", "admin@example.com", true);
        server.users.createUser("bob", "bob@example.com", false);
        admin = server.users.createKey("admin", "t").orElseThrow();
        user = server.users.createKey("bob", "t").orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String hash(HttpResponse<?> r) {
        return r.headers().firstValue("X-MAAS-API-Hash").orElse(null);
    }

    static void assertText(HttpResponse<String> r, int status, String body) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("text/plain;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertEquals(body, r.body());
        assertEquals(server.servlet.catalog().snapshot().hash(), hash(r), "every API response carries the hash");
    }

    @Test
    void describeIsExactJsonWithAbsolutePathsAndTheHashOfTheHeader() throws Exception {
        HttpResponse<String> r = server.get("describe/", null);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow(),
                "no charset: the maas CLI refuses one");
        JsonNode doc = JSON.readTree(r.body());
        assertEquals("MAAS API", doc.get("doc").asText());
        assertEquals(doc.get("hash").asText(), hash(r));
        Map<String, JsonNode> resources = new LinkedHashMap<>();
        doc.get("resources").forEach(n -> resources.put(n.get("name").asText(), n));
        assertTrue(resources.keySet().containsAll(List.of("VersionHandler", "UsersHandler", "EchoHandler")));
        JsonNode version = resources.get("VersionHandler");
        assertTrue(version.get("auth").isNull());
        assertEquals("/MAAS/api/2.0/version/", version.get("anon").get("path").asText());
        JsonNode echo = resources.get("EchoHandler");
        assertEquals("/MAAS/api/2.0/echo/{id}/", echo.get("auth").get("path").asText());
        assertEquals("http://127.0.0.1:" + server.port + "/MAAS/api/2.0/echo/{id}/",
                echo.get("auth").get("uri").asText());
        assertEquals(List.of("id"), JSON.convertValue(echo.get("auth").get("params"), List.class));
        JsonNode peek = echo.get("anon").get("actions").get(0);
        assertEquals("peek", peek.get("name").asText());
        assertFalse(peek.get("restful").asBoolean());
        JsonNode whoami = null;
        for (JsonNode a : resources.get("UsersHandler").get("auth").get("actions")) {
            if (a.get("name").asText().equals("whoami")) {
                whoami = a;
            }
        }
        assertEquals("GET", whoami.get("method").asText());
        assertEquals("whoami", whoami.get("op").asText());
        assertTrue(doc.get("handlers").size() >= resources.size());
    }

    @Test
    void everyActionInDescribeIsReachableByItsMethodAndOp() throws Exception {
        JsonNode doc = JSON.readTree(server.get("describe/", null).body());
        int checked = 0;
        for (JsonNode resource : doc.get("resources")) {
            for (String side : List.of("anon", "auth")) {
                JsonNode handler = resource.get(side);
                if (handler.isNull()) {
                    continue;
                }
                String path = handler.get("path").asText().replaceAll("\\{[^}]+\\}", "nobody");
                for (JsonNode action : handler.get("actions")) {
                    String op = action.get("op").isNull() ? "" : "?op=" + action.get("op").asText();
                    if ("boom".equals(action.get("op").asText(null))) {
                        continue;
                    }
                    HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + server.port + path + op)).header("Authorization", server.sign(admin))
                            .method(action.get("method").asText(), HttpRequest.BodyPublishers.noBody());
                    HttpResponse<String> r = server.send(b);
                    String where = action.get("method").asText() + " " + path + op + " -> " + r.statusCode() + " "
                            + r.body();
                    assertFalse(r.body().startsWith("Unknown API endpoint"), where);
                    assertFalse(r.body().startsWith("Unrecognised signature"), where);
                    assertTrue(r.statusCode() < 500, where);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 15, "checked " + checked);
    }

    @Test
    void describeFollowsHandlersAddedAndRemovedAtRunTime() throws Exception {
        ApiHandler extra = new ApiHandler() {
            public String name() {
                return "HotHandler";
            }

            public String doc() {
                return "Deployed while running.";
            }

            public String path() {
                return "hot/";
            }

            public List<ApiAction> actions() {
                return List.of(ApiAction.crud("GET", "Read.", Access.ANONYMOUS));
            }

            public ApiResponse handle(ApiAction action, ApiRequest request) {
                return ApiResponse.text(200, "hot");
            }
        };
        String before = hash(server.get("describe/", null));
        assertEquals(404, server.get("hot/", null).statusCode());
        server.add(extra);
        try {
            HttpResponse<String> d = server.get("describe/", null);
            assertTrue(d.body().contains("\"/MAAS/api/2.0/hot/\""));
            assertFalse(before.equals(hash(d)), "the hash changes with the handlers");
            HttpResponse<String> hot = server.get("hot/", null);
            assertEquals("hot", hot.body());
            assertEquals(hash(d), hash(hot));
        } finally {
            server.remove(extra);
        }
        assertFalse(server.get("describe/", null).body().contains("/hot/"));
        assertEquals(before, hash(server.get("describe/", null)));
        assertText(server.get("hot/", null), 404, "Unknown API endpoint: /MAAS/api/2.0/hot/.");
    }

    /** What Declarative Services hands the servlet for one service: here counting how often it is got. */
    static <T> ComponentServiceObjects<T> counted(AtomicInteger gets, T service) {
        return new ComponentServiceObjects<>() {
            public T getService() {
                gets.incrementAndGet();
                return service;
            }

            public void ungetService(T got) {
            }

            public ServiceReference<T> getServiceReference() {
                return null;
            }
        };
    }

    @Test
    void aHandlerWithItsNameAndPathAsServicePropertiesIsGotOnItsFirstRequestOnly() throws Exception {
        ApiHandler lazy = new ApiHandler() {
            public String name() {
                return "LazyHandler";
            }

            public String doc() {
                return "Activated on first use.";
            }

            public String path() {
                return "lazy/{id}/";
            }

            public List<ApiAction> actions() {
                return List.of(ApiAction.crud("GET", "Read.", Access.AUTHENTICATED));
            }

            public ApiResponse handle(ApiAction action, ApiRequest request) {
                return ApiResponse.text(200, "lazy " + request.pathParameters().get("id"));
            }
        };
        AtomicInteger gets = new AtomicInteger();
        Map<String, Object> properties = Map.of(ApiHandler.NAME_PROPERTY, "LazyHandler",
                ApiHandler.PATH_PROPERTY, "lazy/{id}/", Constants.SERVICE_ID, 4711L);
        ApiOperations poke = new ApiOperations() {
            public String path() {
                return "lazy/{id}/";
            }

            public List<ApiAction> actions() {
                return List.of(ApiAction.op("GET", "poke", "Poke it.", Access.AUTHENTICATED));
            }

            public ApiResponse handle(ApiAction action, ApiRequest request) {
                return ApiResponse.text(200, "poked " + request.pathParameters().get("id"));
            }
        };
        ApiOperations prod = new ApiOperations() {
            public String path() {
                return "lazy/{id}/";
            }

            public List<ApiAction> actions() {
                return List.of(ApiAction.op("GET", "prod", "Prod it.", Access.AUTHENTICATED));
            }

            public ApiResponse handle(ApiAction action, ApiRequest request) {
                return ApiResponse.text(200, "prodded " + request.pathParameters().get("id"));
            }
        };
        AtomicInteger prodGets = new AtomicInteger();
        Map<String, Object> prodProperties = Map.of(ApiHandler.PATH_PROPERTY, "lazy/{id}/", Constants.SERVICE_ID, 4713L);
        String before = hash(server.get("version/", null));
        server.servlet.addHandler(counted(gets, lazy), properties);
        // an active contribution to its path: the hash takes its actions, without getting the owner
        server.servlet.addActive(poke);
        // a deferred one: got with the owner, when a request first needs the owner's actions
        server.servlet.addOperations(counted(prodGets, prod), prodProperties);
        try {
            HttpResponse<String> version = server.get("version/", null);
            assertEquals(200, version.statusCode());
            assertEquals(0, gets.get(), "bound and routed, but not got for another path's request");
            assertEquals(0, prodGets.get());
            String deferred = hash(version);
            assertFalse(before.equals(deferred), "the hash changes with the handlers, active or not");
            assertEquals(401, server.get("lazy/7/", null).statusCode(), "its actions' access is checked");
            assertEquals(1, gets.get(), "got on the first request to its path");
            assertText(server.get("lazy/7/", admin), 200, "lazy 7");
            assertText(server.get("lazy/7/?op=poke", admin), 200, "poked 7");
            assertText(server.get("lazy/7/?op=prod", admin), 200, "prodded 7");
            assertEquals(1, gets.get(), "got once");
            assertEquals(1, prodGets.get(), "got once");
            HttpResponse<String> d = server.get("describe/", null);
            assertTrue(d.body().contains("\"/MAAS/api/2.0/lazy/{id}/\""), d.body());
            assertTrue(d.body().contains("Activated on first use."));
            assertEquals(deferred, hash(d), "activation does not change the hash within a run");
        } finally {
            server.servlet.removeOperations(counted(prodGets, prod), prodProperties);
            server.servlet.removeActive(poke);
            server.servlet.removeHandler(counted(gets, lazy), properties);
        }
        assertText(server.get("lazy/7/", null), 404, "Unknown API endpoint: /MAAS/api/2.0/lazy/7/.");
        assertEquals(before, hash(server.get("version/", null)));

        // without the properties (a vendor handler built against 1.1): got when bound, as before
        AtomicInteger eager = new AtomicInteger();
        Map<String, Object> bare = Map.of(Constants.SERVICE_ID, 4712L);
        server.servlet.addHandler(counted(eager, lazy), bare);
        try {
            assertEquals(1, eager.get());
            assertText(server.get("lazy/8/", admin), 200, "lazy 8");
        } finally {
            server.servlet.removeHandler(counted(eager, lazy), bare);
        }
        assertEquals(before, hash(server.get("version/", null)));
    }

    @Test
    void aBundleAddsOperationsToAResourceAnotherBundleOwns() throws Exception {
        ApiOperations ops = new ApiOperations() {
            public String path() {
                return "users/";
            }

            public List<ApiAction> actions() {
                // whoami is the owner's: a contribution can never shadow it
                return List.of(ApiAction.op("POST", "ring", "Ring the bell.", Access.ADMIN),
                        ApiAction.op("GET", "whoami", "Shadow attempt.", Access.AUTHENTICATED));
            }

            public ApiResponse handle(ApiAction action, ApiRequest request) {
                return ApiResponse.text(200, "rang " + action.op());
            }
        };
        String before = hash(server.get("describe/", null));
        assertText(server.post("users/?op=ring", admin), 400, "Unrecognised signature: method=POST op=ring");
        server.servlet.addActive(ops);
        try {
            HttpResponse<String> d = server.get("describe/", null);
            JsonNode users = null;
            for (JsonNode h : JSON.readTree(d.body()).get("handlers")) {
                if (h.get("name").asText().equals("UsersHandler")) {
                    users = h;
                }
            }
            assertTrue(users.get("actions").toString().contains("\"ring\""), users.toString());
            assertFalse(before.equals(hash(d)));
            assertText(server.post("users/?op=ring", admin), 200, "rang ring");
            assertText(server.post("users/op-ring/", admin), 200, "rang ring");
            assertEquals(403, server.post("users/?op=ring", user).statusCode(), "the action's access is checked");
            assertEquals("bob", JSON.readTree(server.get("users/?op=whoami", user).body()).get("username").asText());
        } finally {
            server.servlet.removeActive(ops);
        }
        assertEquals(before, hash(server.get("describe/", null)));
    }

    @Test
    void versionIsAnonymousAndWhatGomaasapiNeeds() throws Exception {
        HttpResponse<String> r = server.get("version/", null);
        assertEquals(200, r.statusCode());
        assertEquals("application/json;charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow()
                .replace(" ", ""));
        JsonNode v = JSON.readTree(r.body());
        assertTrue(v.get("capabilities").isArray());
        assertTrue(v.get("version").isTextual());
        assertTrue(v.get("subversion").isTextual());
    }

    @Test
    void whoamiWithTheCliHeaderAndTheThreeWaysToGiveTheOp() throws Exception {
        HttpResponse<String> r = server.get("users/?op=whoami", user);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode me = JSON.readTree(r.body());
        assertEquals("bob", me.get("username").asText());
        assertFalse(me.get("is_superuser").asBoolean());
        assertEquals("/MAAS/api/2.0/users/bob/", me.get("resource_uri").asText());
        assertEquals("bob", JSON.readTree(server.get("users/op-whoami/", user).body()).get("username").asText());
        // op in a urlencoded form body (query first, then form)
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("account/"))
                .header("Authorization", server.sign(user))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("op=create_authorisation_token&name=ci")));
        assertEquals(200, created.statusCode(), created.body());
        JsonNode token = JSON.readTree(created.body());
        ApiKey fresh = new ApiKey(token.get("consumer_key").asText(), token.get("token_key").asText(),
                token.get("token_secret").asText());
        assertEquals("bob", JSON.readTree(server.get("users/?op=whoami", fresh).body()).get("username").asText());
        HttpResponse<String> list = server.get("account/?op=list_authorisation_tokens", fresh);
        assertFalse(list.body().contains(fresh.secret()), "listing never shows secrets");
        assertTrue(list.body().contains(fresh.consumerKey() + ":" + fresh.tokenKey()));
    }

    @Test
    void emptyOpMeansTheCrudActionAsGomaasapiSendsIt() throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("echo/7/?op="))
                .header("Authorization", server.sign(user))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("arches=amd64&arches=arm64&x=%C3%BC")));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertEquals("create", echo.get("action").asText());
        assertTrue(echo.get("op").isNull());
        assertEquals("7", echo.get("path").get("id").asText());
        assertEquals("[\"amd64\",\"arm64\"]", echo.get("params").get("arches").toString());
        assertEquals("ü", echo.get("params").get("x").get(0).asText());
        assertEquals("http://127.0.0.1:" + server.port + "/MAAS/api/2.0/", echo.get("base").asText());
    }

    @Test
    void theMaasCliMultipartArrivesDecoded() throws Exception {
        byte[] file = new byte[200_000];
        new Random(11).nextBytes(file);
        MaasCliMultipart form = new MaasCliMultipart().field("name", "custom/image").field("arches", "amd64")
                .field("arches", "arm64").file("keyring_data", file);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("echo/3/"))
                .header("Authorization", server.sign(user)).header("Content-Type", form.contentType())
                .header("MIME-Version", "1.0").POST(HttpRequest.BodyPublishers.ofByteArray(form.body())));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertEquals("custom/image", echo.get("params").get("name").get(0).asText());
        assertEquals(2, echo.get("params").get("arches").size());
        JsonNode f = echo.get("files").get("keyring_data");
        assertEquals(200_000, f.get("size").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
                f.get("sha256").asText());
        // the dispatcher deletes spooled parts once the answer is written, which the client may see first
        long left = -1;
        for (int i = 0; i < 100 && left != 0; i++) {
            try (var files = Files.list(data.resolve("spool"))) {
                left = files.count();
            }
            if (left != 0) {
                Thread.sleep(50);
            }
        }
        assertEquals(0, left, "spooled parts are deleted after the request");
    }

    @Test
    void formLimitsGiveClearAnswers() throws Exception {
        MaasCliMultipart big = new MaasCliMultipart().file("keyring_data", new byte[(1 << 20) + 1]);
        assertText(server.send(HttpRequest.newBuilder(server.uri("echo/3/")).header("Authorization", server.sign(user))
                .header("Content-Type", big.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(big.body()))),
                413, "Form part 'keyring_data' is larger than 1048576 bytes.");
        MaasCliMultipart many = new MaasCliMultipart();
        for (int i = 0; i < 51; i++) {
            many.field("k", "v");
        }
        assertText(server.send(HttpRequest.newBuilder(server.uri("echo/3/")).header("Authorization", server.sign(user))
                .header("Content-Type", many.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(many.body()))),
                400, "Too many form parts (at most 50).");
        MaasCliMultipart whole = new MaasCliMultipart().file("a", new byte[900_000]).file("b", new byte[900_000])
                .file("c", new byte[900_000]);
        assertText(server.send(HttpRequest.newBuilder(server.uri("echo/3/")).header("Authorization", server.sign(user))
                .header("Content-Type", whole.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(whole.body()))), 413,
                "Form body is larger than 2097152 bytes.");
        String urlencoded = "op=&k=" + "v".repeat(70_000);
        assertText(server.send(HttpRequest.newBuilder(server.uri("echo/3/")).header("Authorization", server.sign(user))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(urlencoded))), 413, "Form body is larger than 65536 bytes.");
    }

    @Test
    void rawPutBodiesStreamToTheHandler() throws Exception {
        byte[] chunk = new byte[4 << 20];
        new Random(5).nextBytes(chunk);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("echo/9/"))
                .header("Authorization", server.sign(user)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertEquals(chunk.length, echo.get("length").asLong());
        assertEquals(chunk.length, echo.get("read").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk)),
                echo.get("sha256").asText());
    }

    @Test
    void deletedIs204WithAContentType() throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("echo/1/"))
                .header("Authorization", server.sign(user)).DELETE());
        assertEquals(204, r.statusCode());
        assertEquals("text/plain;charset=utf-8",
                r.headers().firstValue("Content-Type").orElse("(none)").replace(" ", ""),
                "the maas CLI crashes on a response without Content-Type");
        assertEquals("", r.body());
    }

    @Test
    void maasErrorAnswers() throws Exception {
        HttpResponse<String> anonymous = server.get("users/?op=whoami", null);
        assertText(anonymous, 401, "Authorization Required");
        assertEquals("OAuth realm=\"MAAS API\"", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertText(server.get("echo/1/?op=nope", user), 400, "Unrecognised signature: method=GET op=nope");
        assertText(server.send(HttpRequest.newBuilder(server.uri("echo/1/")).header("Authorization", server.sign(user))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())), 400, "Unrecognised signature: method=PATCH op=None");
        assertText(server.get("no-such-thing/", user), 404, "Unknown API endpoint: /MAAS/api/2.0/no-such-thing/.");
        assertText(server.send(HttpRequest.newBuilder(server.uri("echo/1/?op=admin_thing"))
                .header("Authorization", server.sign(user)).POST(HttpRequest.BodyPublishers.noBody())), 403,
                "User does not have permission to perform this operation.");
        assertEquals(200, server.send(HttpRequest.newBuilder(server.uri("echo/1/?op=admin_thing"))
                .header("Authorization", server.sign(admin)).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals("peek", JSON.readTree(server.get("echo/1/?op=peek", null).body()).get("action").asText());
        HttpResponse<String> bad = server.send(HttpRequest.newBuilder(server.uri("echo/1/?op=invalid"))
                .header("Authorization", server.sign(user)).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, bad.statusCode());
        assertEquals("application/json;charset=utf-8", bad.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
        assertEquals("{\"name\":[\"This field is required.\"]}", bad.body());
        HttpResponse<String> boom = server.get("echo/1/?op=boom", user);
        assertEquals(500, boom.statusCode());
        java.util.regex.Matcher id = java.util.regex.Pattern
                .compile("Internal server error \\(id ([0-9a-f]{12})\\); the operator's log has the details\\.")
                .matcher(boom.body());
        assertTrue(id.matches(), boom.body());
        assertFalse(boom.body().contains("secret internal detail"));
        List<String> lines = server.log.stream().filter(l -> l.contains(id.group(1))).toList();
        assertEquals(1, lines.size(), "one log line names the id: " + server.log);
        assertTrue(lines.get(0).startsWith("ERROR Internal error " + id.group(1) + " in GET /MAAS/api/2.0/echo/1/: "
                + "java.lang.IllegalStateException at "), lines.get(0));
        assertFalse(lines.get(0).contains("secret internal detail"), "no exception text that may quote data");
        // a bad key is refused, never downgraded to anonymous, even where anonymous is allowed
        ApiKey forged = new ApiKey(user.consumerKey(), user.tokenKey(), "wrong");
        assertText(server.get("echo/1/?op=peek", forged), 401, "Authorization Error: 'Invalid signature.'");
        assertText(server.send(HttpRequest.newBuilder(server.uri("users/?op=whoami"))
                .header("Authorization", "OAuth nonsense").GET()), 401,
                "Authorization Error: Unable to parse OAuth parameters from Authorization header.");
    }

    @Test
    void adminOnlyUserCreationAndItsValidation() throws Exception {
        String form = "username=carol&email=carol%40example.com&password=x&is_superuser=0";
        assertText(server.send(HttpRequest.newBuilder(server.uri("users/")).header("Authorization", server.sign(user))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))), 403,
                "User does not have permission to perform this operation.");
        HttpResponse<String> ok = server.send(HttpRequest.newBuilder(server.uri("users/"))
                .header("Authorization", server.sign(admin)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("carol", JSON.readTree(ok.body()).get("username").asText());
        HttpResponse<String> again = server.send(HttpRequest.newBuilder(server.uri("users/"))
                .header("Authorization", server.sign(admin)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=carol&email=bad")));
        assertEquals(400, again.statusCode());
        JsonNode errors = JSON.readTree(again.body());
        assertEquals("Enter a valid email address.", errors.get("email").get(0).asText());
        assertEquals("User with this Username already exists.", JSON.readTree(server.send(
                HttpRequest.newBuilder(server.uri("users/")).header("Authorization", server.sign(admin))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))).body()).get("username").get(0).asText());
        assertEquals("carol", JSON.readTree(server.get("users/carol/", user).body()).get("username").asText());
        assertText(server.get("users/nobody/", user), 404, "No User matches the given query.");
        assertEquals(204, server.send(HttpRequest.newBuilder(server.uri("users/carol/"))
                .header("Authorization", server.sign(admin)).DELETE()).statusCode());
    }

    @Test
    void pythonLibmaasPostWithoutParametersIsAnEmptyForm() throws Exception {
        // python-libmaas 0.6.8 sends this exact body for start_import, stop_import, create_credentials, power_on
        for (String boundary : List.of("B", "\"===============2236446215338128464==\"")) {
            String b = boundary.replace("\"", "");
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(
                    server.uri("account/?op=create_authorisation_token")).header("Authorization", server.sign(user))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(("--" + b + "\r\n\r\n--" + b + "--")
                            .getBytes(StandardCharsets.US_ASCII))));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode token = JSON.readTree(r.body());
            assertEquals(18, token.get("token_key").asText().length(), r.body());
            assertEquals("", token.get("name").asText(""), "no parameters arrived");
        }
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("echo/5/?op=admin_thing"))
                .header("Authorization", server.sign(admin)).header("Content-Type", "multipart/form-data; boundary=B")
                .POST(HttpRequest.BodyPublishers.ofString("--B\r\n\r\n--B--")));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"op\":[\"admin_thing\"]}", JSON.readTree(r.body()).get("params").toString(),
                "only the query's op; the form adds nothing");
    }

    @Test
    void versionAndDescribeIgnoreUnknownOrWrongOAuthAsMaasDoes() throws Exception {
        ApiKey forged = new ApiKey(user.consumerKey(), user.tokenKey(), "wrong");
        ApiKey unknown = new ApiKey("nosuchconsumerkey1", "nosuchtokenkey0001", "x".repeat(32));
        for (String relative : List.of("version/", "describe/")) {
            for (String authorization : List.of(server.sign(forged), server.sign(unknown), "OAuth nonsense",
                    server.sign(user).replace("oauth_timestamp=\"", "oauth_timestamp=\"1"),
                    "OAuth realm=\"MAAS+API\", oauth_consumer_key=\"\"")) {
                HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(relative))
                        .header("Authorization", authorization).GET());
                assertEquals(200, r.statusCode(), relative + " with " + authorization + ": " + r.body());
                assertTrue(r.body().contains(relative.equals("version/") ? "\"capabilities\"" : "\"resources\""));
            }
        }
        // elsewhere a failed OAuth attempt is still refused, even where anonymous actions exist
        assertEquals(401, server.get("echo/1/?op=peek", forged).statusCode());
    }

    @Test
    void oauthParametersInTheQueryAuthenticateToo() throws Exception {
        String q = "users/?op=whoami&oauth_consumer_key=" + user.consumerKey() + "&oauth_token=" + user.tokenKey()
                + "&oauth_signature=%26" + user.secret() + "&oauth_signature_method=PLAINTEXT&oauth_timestamp="
                + (System.currentTimeMillis() / 1000) + "&oauth_nonce=q" + System.nanoTime();
        HttpResponse<String> r = server.get(q, null);
        assertEquals(200, r.statusCode(), r.body());
        assertNull(r.headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(r.body().getBytes(StandardCharsets.UTF_8).length > 0);
    }
}
