package io.metalforge.power.redfish.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Redfish BMC for tests, following the DMTF model for the parts a power driver uses: service root, the Systems
 * collection, ComputerSystem with PowerState and Boot override, {@code @odata.etag}/ETag with If-Match on PATCH
 * (412 on a stale etag, 428 without one), {@code Actions/ComputerSystem.Reset} (204) whose power change completes
 * after a delay as on real BMCs, basic auth (401 otherwise; the service root is open), and optionally a
 * {@code @Redfish.Settings} object that holds boot changes until the next boot. A boot consumes a "Once" override
 * and is logged, so tests can see which device the machine booted from. Extra modes: answer 404 unless the path
 * ends with "/", and a "/moved" prefix that redirects (307) to the real path.
 */
final class RedfishTestServer implements AutoCloseable {

    static final String SYSTEMS = "/redfish/v1/Systems";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TARGETS = List.of("None", "Pxe", "Hdd", "Cd", "Usb", "BiosSetup");
    private static final List<String> RESETS = List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart",
            "ForceRestart");

    /** One ComputerSystem. */
    static final class System {
        final String id;
        volatile String power = "Off";
        volatile String bootEnabled = "Disabled";
        volatile String bootTarget = "None";
        int version = 1;
        /** Boot changes PATCHed to the settings object, applied at the next boot. */
        ObjectNode pendingBoot;
        int settingsVersion = 1;
        final List<String> boots = new CopyOnWriteArrayList<>();

        System(String id) {
            this.id = id;
        }

        String etag() {
            return "W/\"" + version + "\"";
        }
    }

    private final String user;
    private final String password;
    private final long delayMillis;
    private final boolean settingsObject;
    private final boolean slashOnly;
    private final Map<String, System> systems = new LinkedHashMap<>();
    private final HttpServer server;
    private final ScheduledExecutorService clock;
    private final boolean ownClock;
    final AtomicInteger requests = new AtomicInteger();
    /** Answer this many next requests with 503, as a BMC that is busy or restarting its web server. */
    final AtomicInteger unavailable = new AtomicInteger();
    /** Change the system (new etag) just before the next PATCH arrives, as a concurrent change would. */
    volatile boolean changeBeforeNextPatch;
    final List<String> log = new CopyOnWriteArrayList<>();

    static final class Builder {
        String user = "admin";
        String password = "secret";
        long delayMillis = 50;
        boolean settingsObject;
        boolean slashOnly;
        int systems = 1;
        Executor executor;
        ScheduledExecutorService clock;
        javax.net.ssl.SSLContext tls;

        /** Serve HTTPS with this context (a self-signed certificate, as BMCs have). */
        Builder tls(javax.net.ssl.SSLContext context) {
            tls = context;
            return this;
        }

        Builder settingsObject() {
            settingsObject = true;
            return this;
        }

        Builder slashOnly() {
            slashOnly = true;
            return this;
        }

        Builder delayMillis(long value) {
            delayMillis = value;
            return this;
        }

        Builder systems(int value) {
            systems = value;
            return this;
        }

        /** Shares threads between many servers (benchmarks run hundreds). */
        Builder shared(Executor executor, ScheduledExecutorService clock) {
            this.executor = executor;
            this.clock = clock;
            return this;
        }

        RedfishTestServer start() throws IOException {
            return new RedfishTestServer(this);
        }
    }

    static Builder builder() {
        return new Builder();
    }

    private RedfishTestServer(Builder b) throws IOException {
        this.user = b.user;
        this.password = b.password;
        this.delayMillis = b.delayMillis;
        this.settingsObject = b.settingsObject;
        this.slashOnly = b.slashOnly;
        for (int i = 1; i <= b.systems; i++) {
            String id = i == 1 ? "1" : "node" + i;
            systems.put(id, new System(id));
        }
        this.ownClock = b.clock == null;
        this.clock = ownClock ? Executors.newSingleThreadScheduledExecutor() : b.clock;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (b.tls != null) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(loopback, 200);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(b.tls));
            server = https;
        } else {
            server = HttpServer.create(loopback, 200);
        }
        server.createContext("/", this::handle);
        server.setExecutor(b.executor != null ? b.executor : Executors.newFixedThreadPool(4));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String address() {
        return (server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
    }

    System system(String id) {
        return systems.get(id);
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool && ownClock) {
            pool.shutdownNow();
        }
        if (ownClock) {
            clock.shutdownNow();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            log.add(ex.getRequestMethod() + " " + path);
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(ex, 503, "Base.1.8.ServiceTemporarilyUnavailable", "try again later");
                return;
            }
            if (path.startsWith("/moved/")) {
                ex.getResponseHeaders().add("Location", path.substring("/moved".length()));
                send(ex, 307, null, null);
                return;
            }
            if (slashOnly && !path.endsWith("/") && !path.equals("/redfish")) {
                error(ex, 404, "Base.1.8.ResourceMissingAtURI", "resource not found");
                return;
            }
            String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (p.equals("/redfish")) {
                ObjectNode versions = JSON.createObjectNode().put("v1", "/redfish/v1/");
                send(ex, 200, versions, null);
                return;
            }
            if (p.equals("/redfish/v1")) {
                send(ex, 200, serviceRoot(), null);
                return;
            }
            if (!authorized(ex)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"redfish\"");
                error(ex, 401, "Base.1.8.AccessDenied", "authentication required");
                return;
            }
            route(ex, p);
        } catch (RuntimeException e) {
            error(ex, 500, "Base.1.8.InternalError", String.valueOf(e));
        }
    }

    private void route(HttpExchange ex, String p) throws IOException {
        String method = ex.getRequestMethod();
        if (p.equals(SYSTEMS) && method.equals("GET")) {
            send(ex, 200, collection(), null);
            return;
        }
        if (p.startsWith(SYSTEMS + "/")) {
            String[] parts = p.substring(SYSTEMS.length() + 1).split("/");
            System system = systems.get(parts[0]);
            if (system == null) {
                error(ex, 404, "Base.1.8.ResourceMissingAtURI", "no such system");
                return;
            }
            synchronized (system) {
                if (parts.length == 1 && method.equals("GET")) {
                    send(ex, 200, computerSystem(system), system.etag());
                } else if (parts.length == 1 && method.equals("PATCH")) {
                    patchSystem(ex, system);
                } else if (parts.length == 2 && parts[1].equals("Settings") && settingsObject) {
                    settings(ex, system);
                } else if (parts.length == 3 && parts[1].equals("Actions")
                        && parts[2].equals("ComputerSystem.Reset") && method.equals("POST")) {
                    reset(ex, system);
                } else {
                    error(ex, 405, "Base.1.8.OperationNotAllowed", method + " not allowed here");
                }
            }
            return;
        }
        error(ex, 404, "Base.1.8.ResourceMissingAtURI", "resource not found");
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private ObjectNode serviceRoot() {
        ObjectNode root = JSON.createObjectNode();
        root.put("@odata.id", "/redfish/v1/").put("@odata.type", "#ServiceRoot.v1_5_0.ServiceRoot")
                .put("Id", "RootService").put("Name", "Root Service").put("RedfishVersion", "1.6.0")
                .put("UUID", "92384634-2938-2342-8820-489239905423");
        root.putObject("Systems").put("@odata.id", SYSTEMS);
        root.putObject("Chassis").put("@odata.id", "/redfish/v1/Chassis");
        root.putObject("Managers").put("@odata.id", "/redfish/v1/Managers");
        root.putObject("SessionService").put("@odata.id", "/redfish/v1/SessionService");
        root.putObject("Links").putObject("Sessions").put("@odata.id", "/redfish/v1/SessionService/Sessions");
        return root;
    }

    private ObjectNode collection() {
        ObjectNode c = JSON.createObjectNode();
        c.put("@odata.id", SYSTEMS).put("@odata.type", "#ComputerSystemCollection.ComputerSystemCollection")
                .put("Name", "Computer System Collection").put("Members@odata.count", systems.size());
        ArrayNode members = c.putArray("Members");
        systems.keySet().forEach(id -> members.addObject().put("@odata.id", SYSTEMS + "/" + id));
        return c;
    }

    private ObjectNode computerSystem(System s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("@odata.id", SYSTEMS + "/" + s.id).put("@odata.type", "#ComputerSystem.v1_10_0.ComputerSystem")
                .put("@odata.etag", s.etag()).put("Id", s.id).put("Name", "Test system " + s.id)
                .put("SystemType", "Physical").put("Manufacturer", "Metalforge").put("Model", "Test BMC")
                .put("AssetTag", "").put("SerialNumber", "MF-" + s.id).put("IndicatorLED", "Off")
                .put("PowerState", s.power);
        o.putObject("Status").put("State", "Enabled").put("Health", "OK");
        ObjectNode boot = o.putObject("Boot");
        boot.put("BootSourceOverrideEnabled", s.bootEnabled).put("BootSourceOverrideTarget", s.bootTarget);
        ArrayNode allowed = boot.putArray("BootSourceOverrideTarget@Redfish.AllowableValues");
        TARGETS.forEach(allowed::add);
        ObjectNode reset = o.putObject("Actions").putObject("#ComputerSystem.Reset");
        reset.put("target", SYSTEMS + "/" + s.id + "/Actions/ComputerSystem.Reset");
        ArrayNode types = reset.putArray("ResetType@Redfish.AllowableValues");
        RESETS.forEach(types::add);
        if (settingsObject) {
            o.putObject("@Redfish.Settings").put("@odata.type", "#Settings.v1_3_0.Settings")
                    .putObject("SettingsObject").put("@odata.id", SYSTEMS + "/" + s.id + "/Settings");
        }
        return o;
    }

    private void patchSystem(HttpExchange ex, System s) throws IOException {
        if (changeBeforeNextPatch) {
            changeBeforeNextPatch = false;
            s.version++;
        }
        if (!ifMatch(ex, s.etag())) {
            return;
        }
        JsonNode body = read(ex);
        if (body == null) {
            return;
        }
        if (settingsObject && body.has("Boot")) {
            // BMCs with a settings object take boot changes only there
            error(ex, 400, "Base.1.8.PropertyNotWritable", "Boot is changed through the settings object");
            return;
        }
        JsonNode boot = body.path("Boot");
        if (!applyBoot(ex, boot)) {
            return;
        }
        s.bootEnabled = boot.path("BootSourceOverrideEnabled").asText(s.bootEnabled);
        s.bootTarget = boot.path("BootSourceOverrideTarget").asText(s.bootTarget);
        s.version++;
        send(ex, 204, null, s.etag());
    }

    private void settings(HttpExchange ex, System s) throws IOException {
        String etag = "W/\"s" + s.settingsVersion + "\"";
        if (ex.getRequestMethod().equals("GET")) {
            ObjectNode o = JSON.createObjectNode();
            o.put("@odata.id", SYSTEMS + "/" + s.id + "/Settings")
                    .put("@odata.type", "#ComputerSystem.v1_10_0.ComputerSystem").put("@odata.etag", etag)
                    .put("Id", "Settings").put("Name", "Pending settings of " + s.id);
            if (s.pendingBoot != null) {
                o.set("Boot", s.pendingBoot);
            }
            send(ex, 200, o, etag);
            return;
        }
        if (!ex.getRequestMethod().equals("PATCH")) {
            error(ex, 405, "Base.1.8.OperationNotAllowed", "GET or PATCH");
            return;
        }
        if (!ifMatch(ex, etag)) {
            return;
        }
        JsonNode body = read(ex);
        if (body == null || !applyBoot(ex, body.path("Boot"))) {
            return;
        }
        s.pendingBoot = (ObjectNode) body.path("Boot").deepCopy();
        s.settingsVersion++;
        send(ex, 204, null, "W/\"s" + s.settingsVersion + "\"");
    }

    private boolean applyBoot(HttpExchange ex, JsonNode boot) throws IOException {
        String enabled = boot.path("BootSourceOverrideEnabled").asText("Once");
        String target = boot.path("BootSourceOverrideTarget").asText("None");
        if (!List.of("Disabled", "Once", "Continuous").contains(enabled) || !TARGETS.contains(target)) {
            error(ex, 400, "Base.1.8.PropertyValueNotInList", "unsupported boot override");
            return false;
        }
        return true;
    }

    private boolean ifMatch(HttpExchange ex, String etag) throws IOException {
        String given = ex.getRequestHeaders().getFirst("If-Match");
        if (given == null) {
            error(ex, 428, "Base.1.8.PreconditionRequired", "If-Match is required");
            return false;
        }
        if (!given.equals("*") && !given.equals(etag)) {
            error(ex, 412, "Base.1.8.PreconditionFailed", "the resource changed; GET it again");
            return false;
        }
        return true;
    }

    private void reset(HttpExchange ex, System s) throws IOException {
        JsonNode body = read(ex);
        if (body == null) {
            return;
        }
        String type = body.path("ResetType").asText("");
        if (!RESETS.contains(type)) {
            error(ex, 400, "Base.1.8.ActionParameterNotSupported", "unsupported ResetType");
            return;
        }
        log.add("Reset " + type);
        switch (type) {
            case "On" -> {
                if (s.power.equals("Off")) {
                    transition(s, "PoweringOn", "On");
                }
            }
            case "ForceOff", "GracefulShutdown" -> {
                if (!s.power.equals("Off")) {
                    transition(s, "PoweringOff", "Off");
                }
            }
            default -> {
                if (s.power.equals("On")) {
                    transition(s, "PoweringOff", "PoweringOn");
                    clock.schedule(() -> settle(s, "PoweringOn", "On"), 2 * delayMillis, TimeUnit.MILLISECONDS);
                }
            }
        }
        send(ex, 204, null, null);
    }

    private void transition(System s, String during, String after) {
        s.power = during;
        s.version++;
        clock.schedule(() -> settle(s, during, after), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void settle(System s, String from, String to) {
        synchronized (s) {
            if (!s.power.equals(from)) {
                return;
            }
            s.power = to;
            s.version++;
            if (to.equals("On")) {
                boot(s);
            }
        }
    }

    /** A boot applies pending settings, then consumes a "Once" override. */
    private void boot(System s) {
        if (s.pendingBoot != null) {
            s.bootEnabled = s.pendingBoot.path("BootSourceOverrideEnabled").asText(s.bootEnabled);
            s.bootTarget = s.pendingBoot.path("BootSourceOverrideTarget").asText(s.bootTarget);
            s.pendingBoot = null;
            s.settingsVersion++;
        }
        if (!s.bootEnabled.equals("Disabled") && !s.bootTarget.equals("None")) {
            s.boots.add(s.bootTarget);
            if (s.bootEnabled.equals("Once")) {
                s.bootEnabled = "Disabled";
            }
        } else {
            s.boots.add("Hdd");
        }
    }

    private JsonNode read(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            return JSON.readTree(bytes);
        } catch (IOException e) {
            error(ex, 400, "Base.1.8.MalformedJSON", "the body is not JSON");
            return null;
        }
    }

    private static void error(HttpExchange ex, int status, String id, String message) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode inner = e.putObject("error");
        inner.put("code", id).put("message", message);
        inner.putArray("@Message.ExtendedInfo").addObject().put("MessageId", id).put("Message", message);
        send(ex, status, e, null);
    }

    private static void send(HttpExchange ex, int status, JsonNode body, String etag) throws IOException {
        ex.getResponseHeaders().add("OData-Version", "4.0");
        if (etag != null) {
            ex.getResponseHeaders().add("ETag", etag);
        }
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** For assertions: the systems' ids. */
    List<String> ids() {
        return new ArrayList<>(systems.keySet());
    }
}
