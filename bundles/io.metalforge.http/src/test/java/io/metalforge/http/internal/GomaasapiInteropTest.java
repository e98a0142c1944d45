package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.FormFile;

/**
 * Interoperability with a MAAS client not written here: juju/gomaasapi from Debian, built offline in GOPATH mode,
 * against the API on a real Jetty on loopback. The boot-resources handler below is test-only (the store bundle
 * provides the real one); it serves the list shape gomaasapi checks and summarises what a POST carried.
 */
class GomaasapiInteropTest {

    static final Path GOPATH = Path.of("/usr/share/gocode");

    @TempDir
    Path data;

    /** Test-only stand-in for BootResourcesHandler. */
    static final class BootResourcesStandIn implements ApiHandler {
        @Override
        public String name() {
            return "BootResourcesHandler";
        }

        @Override
        public String doc() {
            return "Manage the boot resources.";
        }

        @Override
        public String path() {
            return "boot-resources/";
        }

        @Override
        public List<ApiAction> actions() {
            return List.of(ApiAction.crud("GET", "List boot resources.", Access.AUTHENTICATED),
                    ApiAction.crud("POST", "Create.\n\n:param name: Required.\n:type name: string\n", Access.ADMIN));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
            if (action.method().equals("GET")) {
                return ApiResponse.json(List.of(
                        Map.of("id", 1, "type", "Synced", "name", "ubuntu/noble", "architecture", "amd64/ga-24.04",
                                "subarches", "generic,hwe-24.04,ga-24.04", "kflavor", "generic",
                                "resource_uri", "/MAAS/api/2.0/boot-resources/1/"),
                        Map.of("id", 7, "type", "Uploaded", "name", "custom/rocky", "architecture", "amd64/generic",
                                "subarches", "generic", "resource_uri", "/MAAS/api/2.0/boot-resources/7/")));
            }
            StringBuilder summary = new StringBuilder();
            summary.append("name=").append(request.parameter("name").orElse("?"));
            summary.append(" arches=").append(request.parameters().get("arches"));
            summary.append(" op=").append(request.op());
            for (FormFile f : request.files()) {
                try (InputStream in = f.open()) {
                    summary.append(" file:").append(f.name()).append('=').append(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
                } catch (IOException | java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            return ApiResponse.json(Map.of("summary", summary.toString()));
        }
    }

    @Test
    void gomaasapiLogsInReadsVersionAndWhoamiListsBootResourcesAndPostsForms() throws Exception {
        Path go = findGo();
        if (!Files.isDirectory(GOPATH.resolve("src/github.com/juju/gomaasapi"))) {
            fail("gomaasapi sources not found under " + GOPATH + ": apt-get install -y golang-github-juju-gomaasapi-dev");
        }
        try (TestServer server = new TestServer(data, FormLimits.DEFAULT)) {
            server.add(new BootResourcesStandIn());
            server.users.createUser("gopher", "gopher@example.com", true);
            ApiKey key = server.users.createKey("gopher", "interop").orElseThrow();

            Path program = data.resolve("interop/interop.go");
            Files.createDirectories(program.getParent());
            try (InputStream in = getClass().getResourceAsStream("/gomaasapi/interop.go")) {
                Files.copy(in, program);
            }
            // The Go build cache lives in target/ so repeated runs are fast.
            Path cache = Path.of("target", "gocache").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(go.toString(), "run", program.toString(),
                    "http://127.0.0.1:" + server.port + "/MAAS/", key.formatted()).redirectErrorStream(true)
                    .directory(program.getParent().toFile());
            pb.environment().put("GO111MODULE", "off");
            pb.environment().put("GOPATH", GOPATH.toString());
            pb.environment().put("GOCACHE", cache.toString());
            pb.environment().put("GOFLAGS", "");
            pb.environment().put("HOME", data.toString());
            Process p = pb.start();
            String output;
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("go run did not finish within 300 s");
                }
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(0, p.exitValue(), output);
            List<String> lines = new ArrayList<>(output.lines().toList());
            assertTrue(lines.contains("capabilities [authenticate-api]"), output);
            assertTrue(lines.contains("version " + VersionHandler.VERSION), output);
            assertTrue(lines.contains("whoami gopher"), output);
            assertTrue(lines.contains("resource 1 ubuntu/noble Synced amd64/ga-24.04 [ga-24.04 generic hwe-24.04]"),
                    output);
            assertTrue(lines.contains("resource 7 custom/rocky Uploaded amd64/generic [generic]"), output);
            assertTrue(lines.contains("posted name=custom/gopher arches=[amd64, arm64] op=null"), output);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("gopher bytes\r\n--not-a-boundary\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
            assertTrue(lines.contains("posted name=custom/gopher arches=[amd64, arm64] op=null file:content=" + sha),
                    "Go multipart file part decoded byte for byte: " + output);
            assertEquals("OK", lines.get(lines.size() - 1), output);
        }
    }

    static Path findGo() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "go");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Path.of("/usr/bin/go");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        return fail("go not found: apt-get install -y golang-go golang-github-juju-gomaasapi-dev");
    }
}
