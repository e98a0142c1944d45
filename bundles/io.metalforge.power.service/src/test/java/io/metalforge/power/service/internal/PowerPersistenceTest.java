package io.metalforge.power.service.internal;

import io.metalforge.db.internal.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.metalforge.api.http.TestApiRequest;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerState;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.power.webhook.internal.WebhookPowerDriver;

/**
 * BMC settings survive a restart: a new service on the same embedded H2 database file finds them, drives the real
 * webhook driver against a real HTTP server on loopback with the stored secret, and never returns the secret.
 */
class PowerPersistenceTest {

    private static final String SECRET = "hunter2-persisted";

    @TempDir
    Path data;

    private HttpServer server;
    private String base;
    private volatile String state = "stopped";
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final TestRegistry registry = new TestRegistry().add(new WebhookPowerDriver());
    private DatabaseService database;
    private PowerServiceImpl service;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/machine/", this::machine);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        stopService();
        server.stop(0);
    }

    private void stopService() {
        if (service != null) {
            service.stop();
            service = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** Stops the running service and database and starts new ones on the same data directory, as a restart. */
    /** Machine ids unique to this run: a PostgreSQL database outlives the test. */
    private final String prefix = "t" + Long.toHexString(System.nanoTime()) + "-";

    private String id(String name) {
        return prefix + name;
    }

    /** The database the service restarts on; the same one every time. */
    DatabaseService open(Path dataDirectory) {
        return TestDatabases.h2(dataDirectory);
    }

    private PowerServiceImpl restart() throws SQLException {
        stopService();
        database = open(data);
        service = new PowerServiceImpl(registry, database,
                PowerServiceImpl.Options.of(4, "0.01,0.02,0.05", Duration.ofSeconds(20)));
        return service;
    }

    private void machine(HttpExchange ex) throws IOException {
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        String path = ex.getRequestURI().getPath();
        String body;
        if (ex.getRequestMethod().equals("POST") && path.equals("/machine/on")) {
            state = "running";
            body = "ok";
        } else if (ex.getRequestMethod().equals("POST") && path.equals("/machine/off")) {
            state = "stopped";
            body = "ok";
        } else {
            body = "{\"status\": \"" + state + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Map<String, String> webhook() {
        return Map.of("power_on_uri", base + "/machine/on", "power_off_uri", base + "/machine/off",
                "power_query_uri", base + "/machine/status", "power_user", "maas", "power_pass", SECRET);
    }

    private static TestApiRequest request(String method, String op, String id) {
        return new TestApiRequest(method, op, Map.of("system_id", id), Map.of());
    }

    @Test
    void settingsSurviveARestartAndStillDriveTheBmc() throws Exception {
        restart().setBmc(id("node-1"), "webhook", webhook());
        PowerServiceImpl reloaded = restart();

        assertEquals("webhook", reloaded.bmc(id("node-1")).orElseThrow().driver());
        assertEquals(PowerState.ON, reloaded.perform(id("node-1"), PowerOperation.ON));
        assertEquals("running", state);
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString(("maas:" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertTrue(authorizations.stream().allMatch(basic::equals),
                "the stored secret reached the BMC after the restart: " + authorizations.size() + " requests");
        assertEquals(PowerState.OFF, reloaded.perform(id("node-1"), PowerOperation.OFF));
    }

    @Test
    void theLongestSecretWithCharactersJsonEscapesRoundTrips() throws Exception {
        String awkward = "\"\\é".repeat(io.metalforge.api.power.PowerSettings.MAX_VALUE_LENGTH / 3);
        Map<String, String> settings = new java.util.HashMap<>(webhook());
        settings.put("power_pass", awkward);
        restart().setBmc(id("node-6"), "webhook", settings);
        assertEquals(PowerState.OFF, restart().perform(id("node-6"), PowerOperation.QUERY));
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString(("maas:" + awkward).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(basic), authorizations);
    }

    @Test
    void secretsAreNeverReturnedAfterReload() throws Exception {
        restart().setBmc(id("node-2"), "webhook", webhook());
        PowerServiceImpl reloaded = restart();
        Map<String, String> visible = reloaded.bmc(id("node-2")).orElseThrow().settings();
        assertEquals("maas", visible.get("power_user"));
        assertFalse(visible.containsKey("power_pass"));
        assertFalse(visible.containsValue(SECRET));

        assertFalse(String.valueOf(reloaded.bmc(id("node-2"))).contains(SECRET));

        // stored, but only in the secrets column: nothing reading parameters sees it
        try (Connection c = database.connection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT parameters, secrets FROM power_bmc WHERE system_id = ?")) {
            s.setString(1, id("node-2"));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertFalse(rs.getString(1).contains(SECRET));
                assertTrue(rs.getString(2).contains(SECRET));
            }
        }
    }

    @Test
    void removalAndReplacementPersist() throws Exception {
        PowerServiceImpl first = restart();
        first.setBmc(id("node-3"), "webhook", webhook());
        first.setBmc(id("node-4"), "webhook", webhook());
        Map<String, String> changed = new java.util.HashMap<>(webhook());
        changed.put("power_user", "operator");
        first.setBmc(id("node-4"), "webhook", changed);
        assertTrue(first.removeBmc(id("node-3")));

        PowerServiceImpl reloaded = restart();
        assertEquals(Optional.empty(), reloaded.bmc(id("node-3")));
        assertFalse(reloaded.removeBmc(id("node-3")));
        assertEquals("operator", reloaded.bmc(id("node-4")).orElseThrow().settings().get("power_user"));
    }

    @Test
    void aFailedWriteChangesNothingAndSaysSo() throws Exception {
        PowerServiceImpl running = restart();
        running.setBmc(id("node-8"), "webhook", webhook());
        database.close(); // the database goes away under the running service
        Map<String, String> changed = new java.util.HashMap<>(webhook());
        changed.put("power_user", "operator");
        io.metalforge.api.power.PowerFailure failure = org.junit.jupiter.api.Assertions.assertThrows(
                io.metalforge.api.power.PowerFailure.class, () -> running.setBmc(id("node-8"), "webhook", changed));
        assertEquals("Failed to complete power action: could not store the BMC settings of " + id("node-8")
                + " in the database", failure.getMessage());
        assertFalse(failure.getMessage().contains(SECRET));
        assertEquals("maas", running.bmc(id("node-8")).orElseThrow().settings().get("power_user"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> running.removeBmc(id("node-8")));
        assertTrue(running.bmc(id("node-8")).isPresent(), "not forgotten in memory when the database refused");
    }

    @Test
    void settingsOfADriverNotInstalledAtStartAreKeptAndUsedOnceItArrives() throws Exception {
        restart().setBmc(id("node-5"), "webhook", webhook());
        registry.remove("webhook");
        PowerServiceImpl reloaded = restart();
        Map<String, String> visible = reloaded.bmc(id("node-5")).orElseThrow().settings();
        assertFalse(visible.containsValue(SECRET), "the secret is known from its column without the driver's schema");
        assertEquals("maas", visible.get("power_user"));
        registry.add(new WebhookPowerDriver());
        assertEquals(PowerState.ON, reloaded.perform(id("node-5"), PowerOperation.ON));
    }
}
