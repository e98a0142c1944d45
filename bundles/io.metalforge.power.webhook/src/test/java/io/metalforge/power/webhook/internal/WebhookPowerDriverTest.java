package io.metalforge.power.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerState;
import io.metalforge.api.power.http.SelfSignedKeystore;

/** The webhook driver against a real HTTP server on loopback that keeps a machine's state. */
class WebhookPowerDriverTest {

    private HttpServer server;
    private String base;
    private volatile String state = "stopped";
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final WebhookPowerDriver driver = new WebhookPowerDriver(Duration.ofSeconds(5));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/machine/", this::machine);
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/machine/status");
            reply(ex, 302, "");
        });
        server.createContext("/slashed", ex -> {
            if (ex.getRequestURI().getPath().endsWith("/")) {
                reply(ex, 200, "{\"status\": \"" + state + "\"}");
            } else {
                reply(ex, 404, "not found");
            }
        });
        server.createContext("/broken", ex -> reply(ex, 500, "boom"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void machine(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " system="
                + ex.getRequestHeaders().getFirst("System_Id") + " auth=" + auth + " agent="
                + ex.getRequestHeaders().getFirst("User-Agent"));
        String path = ex.getRequestURI().getPath();
        if (ex.getRequestMethod().equals("POST") && path.equals("/machine/on")) {
            state = "running";
            reply(ex, 200, "ok");
        } else if (ex.getRequestMethod().equals("POST") && path.equals("/machine/off")) {
            state = "stopped";
            reply(ex, 200, "ok");
        } else if (ex.getRequestMethod().equals("GET") && path.equals("/machine/status")) {
            reply(ex, 200, "{\"status\": \"" + state + "\"}");
        } else {
            reply(ex, 405, "no");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Map<String, String> settings(String query) {
        Map<String, String> s = new HashMap<>();
        s.put("power_on_uri", base + "/machine/on");
        s.put("power_off_uri", base + "/machine/off");
        s.put("power_query_uri", base + query);
        s.put(PowerDriver.SYSTEM_ID, "xyz789");
        return s;
    }

    @Test
    void onOffAndQueryWithMaasDefaultsAndHeaders() throws PowerFailure {
        Map<String, String> s = settings("/machine/status");
        s.put("power_user", "maas");
        s.put("power_pass", "hunter2");
        assertEquals(PowerState.OFF, driver.query(s));
        driver.powerOn(s);
        assertEquals(PowerState.ON, driver.query(s));
        driver.powerOff(s);
        assertEquals(PowerState.OFF, driver.query(s));
        String basic = "Basic " + Base64.getEncoder().encodeToString("maas:hunter2".getBytes(StandardCharsets.UTF_8));
        assertEquals("POST /machine/on system=xyz789 auth=" + basic + " agent=" + WebhookPowerDriver.USER_AGENT,
                seen.get(1));
    }

    @Test
    void tokenTakesPrecedenceOverUserAndPassword() throws PowerFailure {
        Map<String, String> s = settings("/machine/status");
        s.put("power_user", "maas");
        s.put("power_pass", "hunter2");
        s.put("power_token", "t0ken");
        driver.query(s);
        assertTrue(seen.get(0).contains("auth=Bearer t0ken"), seen.get(0));
    }

    @Test
    void customRegexesDecideTheState() throws PowerFailure {
        Map<String, String> s = settings("/machine/status");
        s.put("power_on_regex", "\"status\": \"stopped\"");
        s.put("power_off_regex", "never");
        assertEquals(PowerState.ON, driver.query(s));
        s.put("power_on_regex", "nope");
        assertEquals(PowerState.UNKNOWN, driver.query(s));
        s.put("power_on_regex", "(unclosed");
        PowerFailure bad = assertThrows(PowerFailure.class, () -> driver.query(s));
        assertEquals("Missing or invalid power setting: power_on_regex is not a valid regular expression",
                bad.getMessage());
    }

    @Test
    void redirectsAreFollowedAnd404IsRetriedWithATrailingSlash() throws PowerFailure {
        assertEquals(PowerState.OFF, driver.query(settings("/moved")));
        assertEquals(PowerState.OFF, driver.query(settings("/slashed")));
    }

    @Test
    void certificatesAreCheckedOnlyWhenAskedTo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer
                .create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(SelfSignedKeystore.serverContext(dir)));
        https.createContext("/machine/", this::machine);
        https.start();
        try {
            String tls = "https://127.0.0.1:" + https.getAddress().getPort();
            Map<String, String> s = settings("/machine/status");
            s.put("power_query_uri", tls + "/machine/status");
            assertEquals(PowerState.OFF, driver.query(s), "power_verify_ssl=n (default) accepts a self-signed BMC");
            s.put("power_verify_ssl", "y");
            PowerFailure refused = assertThrows(PowerFailure.class, () -> driver.query(s));
            assertEquals(PowerFailure.Kind.CONNECTION, refused.kind());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void failuresAreTypedAndQuoteNoSecrets() throws Exception {
        Map<String, String> broken = settings("/broken");
        broken.put("power_token", "t0ken");
        PowerFailure action = assertThrows(PowerFailure.class, () -> driver.query(broken));
        assertEquals("Failed to complete power action: power_query_uri answered HTTP 500", action.getMessage());
        int dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        Map<String, String> unreachable = settings("/machine/status");
        unreachable.put("power_query_uri", "http://127.0.0.1:" + dead + "/status");
        unreachable.put("power_pass", "hunter2");
        unreachable.put("power_user", "maas");
        PowerFailure conn = assertThrows(PowerFailure.class, () -> driver.query(unreachable));
        assertEquals(PowerFailure.Kind.CONNECTION, conn.kind());
        assertFalse(conn.getMessage().contains("hunter2"));
        Map<String, String> ftp = settings("/machine/status");
        ftp.put("power_on_uri", "ftp://127.0.0.1/on");
        assertEquals("Missing or invalid power setting: power_on_uri must be an http:// or https:// URL",
                assertThrows(PowerFailure.class, () -> driver.powerOn(ftp)).getMessage());
        assertEquals(PowerFailure.Kind.SETTING,
                assertThrows(PowerFailure.class, () -> driver.query(Map.of())).kind());
    }
}
