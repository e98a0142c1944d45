package io.metalforge.http.internal;

import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.ApiCredentials;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.catalog.internal.BootResourceFileUploadHandler;
import io.metalforge.catalog.internal.BootResourceHandler;
import io.metalforge.catalog.internal.BootResourcesHandler;
import io.metalforge.catalog.internal.CatalogService;
import io.metalforge.catalog.internal.UploadConfig;
import io.metalforge.catalog.internal.UploadService;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;
import io.metalforge.machines.internal.EventsHandler;
import io.metalforge.machines.internal.MachineItemHandler;
import io.metalforge.machines.internal.MachineLifecycle;
import io.metalforge.machines.internal.MachinesConfiguration;
import io.metalforge.machines.internal.MachinesHandler;
import io.metalforge.inspect.internal.ImageDoctorImpl;
import io.metalforge.inspect.internal.Limits;
import io.metalforge.metadata.internal.MetadataRoutes;
import io.metalforge.metrics.internal.CountingRecorder;
import io.metalforge.metrics.internal.MetricsServlet;
import io.metalforge.os.custom.internal.CustomOsHandler;
import io.metalforge.os.ubuntu.internal.UbuntuOsHandler;
import io.metalforge.power.ipmi.internal.IpmiPowerDriver;
import io.metalforge.power.manual.internal.ManualPowerDriver;
import io.metalforge.power.service.internal.PowerServiceImpl;
import io.metalforge.preseed.internal.DeploymentComposerImpl;
import io.metalforge.store.fs.internal.FsBlobStore;

/**
 * The platform as the distribution wires it for machines, without OSGi: the real database, store, catalog,
 * composer, OS handlers, power service with the manual driver, user store and node keys, the machines bundle, the
 * uploads (boot-resources create and chunked upload, with the image doctor), the metadata handlers behind the
 * metadata servlet, the API servlet and the metrics servlet with its counters, on a real Jetty 12 (the
 * one Felix embeds) on loopback. It lives in the dispatcher's package to wire the servlets. A new instance over the
 * same folder is a platform restart.
 */
final class MachinesPlatform implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final DatabaseService db;
    final CatalogService catalog;
    final FsBlobStore store;
    final PowerServiceImpl power;
    final UploadService uploads;
    final CountingRecorder counters = new CountingRecorder();
    final UserStore users;
    final MachineLifecycle machines;
    final Server jetty;
    final int port;
    final ApiKey admin;
    final ApiKey alice;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong nonces = new AtomicLong(System.nanoTime());

    MachinesPlatform(Path folder) throws Exception {
        this(folder, TestDatabases.h2(folder));
    }

    MachinesPlatform(Path folder, DatabaseService database) throws Exception {
        db = database;
        store = FsBlobStore.create(folder.resolve("blobs"), 0, 0);
        catalog = new CatalogService(db, store);
        OsHandlerRegistry os = new OsRegistry(Map.of("ubuntu", new UbuntuOsHandler(),
                "custom", new CustomOsHandler()));
        PlatformDirectories dirs = new PlatformDirectories() {
            @Override
            public Path data() {
                return folder;
            }

            @Override
            public Path deploy() {
                return folder.resolve("deploy");
            }
        };
        DeploymentComposerImpl composer = new DeploymentComposerImpl(os, dirs);
        PowerDriverRegistry drivers = new PowerRegistry(Map.of("manual", new ManualPowerDriver(), "ipmi",
                ipmiDriver()));
        power = new PowerServiceImpl(drivers, db, PowerServiceImpl.Options.of(16, "0.01,0.01", Duration.ofSeconds(10)));
        power.setMetrics(counters);
        uploads = new UploadService(catalog, new ImageDoctorImpl(Limits.DEFAULTS, os), os, uploadConfig());
        uploads.setMetrics(counters);
        users = new UserStore(db, Clock.systemUTC());
        if (users.user("admin").isEmpty()) {
            users.createUser("admin", "admin@example.com", true);
            users.createUser("alice", "alice@example.com", false);
        }
        admin = users.createKey("admin", "test").orElseThrow();
        alice = users.createKey("alice", "test").orElseThrow();
        machines = new MachineLifecycle(db, catalog, composer, os, power, new NodeKeyService(users), config(""));

        ApiServlet api = new ApiServlet(users, folder.resolve("spool"), FormLimits.DEFAULT, null);
        api.addActive(new VersionHandler());
        api.addActive(new UsersHandler(users));
        api.addActive(new MachinesHandler(machines));
        api.addActive(new MachineItemHandler(machines));
        api.addActive(new EventsHandler(machines));
        api.addActive(new BootResourcesHandler(uploads));
        api.addActive(new BootResourceHandler(catalog));
        api.addActive(new BootResourceFileUploadHandler(uploads));
        MetadataServlet metadata = new MetadataServlet(users, folder.resolve("spool"), null);
        MetadataRoutes.routes(machines).forEach(metadata::addHandler);

        jetty = new Server(new QueuedThreadPool(64, 8));
        // as the distribution configures Felix HTTP (org.eclipse.jetty.UriComplianceMode=LEGACY): MAAS's metadata
        // clients send "//" in paths, which Jetty 12 otherwise refuses as ambiguous
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
        ServerConnector connector = new ServerConnector(jetty,
                new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(api), "/MAAS/api/2.0/*");
        context.addServlet(new ServletHolder(metadata), "/MAAS/metadata/*");
        context.addServlet(new ServletHolder(new MetricsServlet(catalog, machines, counters)), "/MAAS/metrics");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    /**
     * The IPMI driver as Declarative Services builds it without a configuration: every key at its default. Its
     * Config annotation is package-private, so a proxy answers each method with the annotation's default. Tests
     * only save settings through it (validation); none powers a BMC.
     */
    static PowerDriver ipmiDriver() throws ReflectiveOperationException {
        Class<?> config = Class.forName("io.metalforge.power.ipmi.internal.IpmiPowerDriver$Config");
        Object defaults = java.lang.reflect.Proxy.newProxyInstance(config.getClassLoader(), new Class<?>[] {config},
                (proxy, method, args) -> method.getName().equals("annotationType") ? config
                        : method.getDefaultValue());
        return IpmiPowerDriver.class.getConstructor(config).newInstance(defaults);
    }

    /** The upload service's configuration as Declarative Services gives it without a configuration. */
    static UploadConfig uploadConfig() {
        return (UploadConfig) java.lang.reflect.Proxy.newProxyInstance(UploadConfig.class.getClassLoader(),
                new Class<?>[] {UploadConfig.class}, (proxy, method, args) -> method.getName().equals("annotationType")
                        ? UploadConfig.class : method.getDefaultValue());
    }

    static MachinesConfiguration config(String kernelOptions) {
        return new MachinesConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MachinesConfiguration.class;
            }

            @Override
            public String maas__url() {
                return "";
            }

            @Override
            public String kernel__options() {
                return kernelOptions;
            }

            @Override
            public String commissioning__osystem() {
                return "ubuntu";
            }

            @Override
            public String commissioning__distro__series() {
                return "noble";
            }

            @Override
            public int max__posted__file__bytes() {
                return 1 << 20;
            }

            @Override
            public int max__files__per__machine() {
                return 20;
            }
        };
    }

    /** An uploaded custom image with an Ubuntu base, complete in the store, as boot-resources create leaves it. */
    BootResource uploadCustom(String name, String baseImage, String filetype) throws Exception {
        BootResource r = catalog.findOrCreate(new NewBootResource(ResourceType.UPLOADED, name, "amd64/generic", "",
                baseImage, "", "", false, Map.of("subarches", "generic", "title", name)));
        BootResourceSet set = catalog.createSet(r.id(), null, "uploaded");
        byte[] content = ("image bytes of " + name).getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        store.write(sha, content.length, new ByteArrayInputStream(content));
        catalog.addFile(set.id(), filetype, filetype, sha, content.length, Map.of());
        return r;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The maas CLI's OAuth header for an API key, with a fresh nonce. */
    String sign(ApiKey key) {
        return sign(key.consumerKey(), key.tokenKey(), key.secret(), true);
    }

    /** OAuth PLAINTEXT as cloud-init and curtin send it; the signature percent-encoded or not. */
    String sign(String consumer, String token, String secret, boolean encoded) {
        return "OAuth oauth_nonce=\"" + nonces.incrementAndGet() + "\", oauth_timestamp=\""
                + (System.currentTimeMillis() / 1000) + "\", oauth_version=\"1.0\", oauth_signature_method="
                + "\"PLAINTEXT\", oauth_consumer_key=\"" + consumer + "\", oauth_token=\"" + token
                + "\", oauth_signature=\"" + (encoded ? "%26" : "&") + secret + "\"";
    }

    String sign(ApiCredentials node, boolean encoded) {
        return sign(node.consumerKey(), node.tokenKey(), node.secret(), encoded);
    }

    /** When set, every request's latency in nanoseconds (for bench/deploy.sh). */
    volatile java.util.Queue<Long> latencies;

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.Queue<Long> record = latencies;
        if (record != null) {
            record.add(System.nanoTime() - start);
        }
        return r;
    }

    HttpResponse<String> api(String method, String relative, ApiKey key, String... form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/MAAS/api/2.0/" + relative));
        if (key != null) {
            b.header("Authorization", sign(key));
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            b.method(method, HttpRequest.BodyPublishers.ofString(urlencoded(form)));
        }
        return send(b);
    }

    JsonNode apiJson(String method, String relative, ApiKey key, String... form) throws Exception {
        HttpResponse<String> r = api(method, relative, key, form);
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new AssertionError(method + " " + relative + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static String urlencoded(String... form) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(form[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** A machine powered by the manual driver, with one 20 GB disk, made Ready. */
    String readyMachine(String hostname, String mac) throws Exception {
        return readyMachine(hostname, """
                {"disks": [{"name": "sda", "model": "QEMU HARDDISK", "serial": "QM0001",
                            "size_bytes": 21474836480}]}""", mac);
    }

    /** A machine powered by the manual driver with this hardware description and these MACs, made Ready. */
    String readyMachine(String hostname, String hardware, String... macs) throws Exception {
        java.util.List<String> form = new java.util.ArrayList<>(List.of("architecture", "amd64", "hostname", hostname,
                "power_type", "manual", "hardware", hardware));
        for (String mac : macs) {
            form.add("mac_addresses");
            form.add(mac);
        }
        JsonNode m = apiJson("POST", "machines/", admin, form.toArray(String[]::new));
        String id = m.get("system_id").asText();
        apiJson("POST", "machines/" + id + "/?op=mark_ready", admin);
        return id;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        power.stop();
        db.close();
    }

    /** A registry of fixed extensions (the platform's whiteboard registry needs a framework). */
    static class Registry<T> {
        final ExtensionFamily family;
        final Map<String, T> extensions = new ConcurrentHashMap<>();

        Registry(ExtensionFamily family, Map<String, T> extensions) {
            this.family = family;
            this.extensions.putAll(extensions);
        }

        public ExtensionFamily family() {
            return family;
        }

        public List<String> names() {
            return extensions.keySet().stream().sorted().toList();
        }

        public List<ExtensionInfo> describe() {
            return names().stream().map(n -> new ExtensionInfo(family, n, n, "test", "0")).toList();
        }

        public Optional<T> find(String name) {
            return Optional.ofNullable(extensions.get(name));
        }
    }

    static final class OsRegistry extends Registry<OsHandler> implements OsHandlerRegistry {
        OsRegistry(Map<String, OsHandler> handlers) {
            super(ExtensionFamily.OS_HANDLER, handlers);
        }
    }

    static final class PowerRegistry extends Registry<PowerDriver> implements PowerDriverRegistry {
        PowerRegistry(Map<String, PowerDriver> drivers) {
            super(ExtensionFamily.POWER_DRIVER, drivers);
        }
    }
}
