package io.metalforge.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import io.metalforge.api.db.Database;
import io.metalforge.api.inspect.ImageDoctor;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;
import io.metalforge.api.inspect.Severity;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.source.ImageImporter;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.ResumableBlobStore;

/**
 * Every configurable component, configured the way the README's configuration table shows: a {@code <pid>.cfg} with
 * the documented keys dropped into the deploy folder of the running platform. Each test checks the effect through the
 * service, shell or HTTP interface the setting changes, then removes the file (the defaults come back).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigurationIT {

    /** Long enough for a component chain to restart on a loaded 2-core machine. */
    private static final long DEADLINE_MS = 45_000;

    /** What a condition saw last, for the failure message. */
    private static volatile String observed = "";

    @Inject
    BundleContext context;

    @Inject
    CommandProcessor shell;

    @Configuration
    public Option[] config() throws Exception {
        return PlatformOptions.platform();
    }

    @Test
    public void httpFormLimits() throws Exception {
        assertFalse(postThreeParts().contains("Too many form parts"));
        try (Cfg cfg = Cfg.drop("io.metalforge.http", "max_parts=2")) {
            awaitTrue("max_parts applied", () -> postThreeParts().contains("Too many form parts (at most 2)"));
        }
        awaitTrue("default back", () -> !postThreeParts().contains("Too many form parts"));
    }

    @Test
    public void databasePoolSize() throws Exception {
        try (Cfg cfg = Cfg.drop("io.metalforge.db", "pool_size=1")) {
            awaitTrue("pool_size applied", () -> {
                Database db = service(Database.class, null);
                try (Connection held = db.connection()) {
                    CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
                        try (Connection c = db.connection()) {
                            return true;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    try {
                        second.get(1, TimeUnit.SECONDS);
                        return false; // a second connection was lent: the pool is larger than 1
                    } catch (TimeoutException expected) {
                        held.close();
                        return second.get(10, TimeUnit.SECONDS);
                    }
                }
            });
        }
    }

    @Test
    public void simpleStreamsProxy() throws Exception {
        // one unsigned source, so that the import's first step is an HTTP request (the default one needs Ubuntu's
        // keyring, which a test machine may lack)
        for (String line : shell("metalforge:bootsources").split("\n")) {
            String id = line.strip().split("\\s+")[0];
            if (id.matches("\\d+")) {
                shell("metalforge:bootsourceremove " + id);
            }
        }
        assertTrue(shell("metalforge:bootsourceadd http://images.invalid/streams/v1/index.json 10 skip")
                .contains("added"));
        try (ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Cfg cfg = Cfg.drop("io.metalforge.simplestreams",
                        "auto_import=false", "http_proxy=http://127.0.0.1:" + proxy.getLocalPort())) {
            proxy.setSoTimeout(1000);
            awaitTrue("http_proxy applied", () -> {
                ImageImporter importer = service(ImageImporter.class, null);
                importer.startImport();
                try (Socket s = proxy.accept()) {
                    byte[] head = new byte[200];
                    int n = s.getInputStream().read(head);
                    observed = n <= 0 ? "" : new String(head, 0, n, StandardCharsets.ISO_8859_1);
                    return observed.startsWith("GET http://images.invalid/");
                } catch (java.net.SocketTimeoutException notYet) {
                    observed = "no connection to the proxy; progress " + importer.progress();
                    return false;
                } finally {
                    importer.stopImport();
                }
            });
        }
    }

    @Test
    public void imageDoctorLimits() throws Exception {
        byte[] tgz = tgz(5);
        assertTrue(inspect(tgz).findings().stream().noneMatch(f -> f.message().contains("entries")));
        try (Cfg cfg = Cfg.drop("io.metalforge.inspect", "max_entries=2")) {
            awaitTrue("max_entries applied", () -> {
                ImageReport r = inspect(tgz);
                return r.verdict() == Severity.REJECTED
                        && r.findings().stream().anyMatch(f -> f.message().contains("entries"));
            });
        }
    }

    @Test
    public void uploadArchitectures() throws Exception {
        Path image = Files.createTempFile("metalforge-itest", ".tgz");
        Files.write(image, tgz(3));
        String command = "metalforge:upload " + image + " cfg-test amd64/generic tgz";
        // by default every architecture an installed OS handler supports is usable (a fresh appliance's first job)
        awaitTrue("upload accepted by default", () -> {
            observed = shell(command.replace("cfg-test", "cfg-default-" + System.nanoTime()));
            return observed.contains("Hashing") && !observed.contains("is not one of the available choices");
        });
        // MAAS's rule as a setting: only synced architectures (none here), plus additional_architectures
        try (Cfg cfg = Cfg.drop("io.metalforge.catalog.upload", "synced_architectures_only=true")) {
            awaitTrue("synced_architectures_only applied", () -> {
                observed = shell(command);
                return observed.contains("amd64/generic is not one of the available choices");
            });
        }
        try (Cfg cfg = Cfg.drop("io.metalforge.catalog.upload", "synced_architectures_only=true",
                "additional_architectures=amd64/generic")) {
            awaitTrue("additional_architectures applied", () -> {
                observed = shell(command.replace("cfg-test", "cfg-test-" + System.nanoTime()));
                return observed.contains("Hashing")
                        && !observed.contains("amd64/generic is not one of the available choices");
            });
        }
    }

    @Test
    public void blobStoreQuota() throws Exception {
        byte[] bytes = new byte[4096];
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        try (Cfg cfg = Cfg.drop("io.metalforge.store.fs", "quota_bytes=1000")) {
            awaitTrue("quota_bytes applied", () -> {
                try {
                    service(BlobStore.class, "(" + BlobStore.PROPERTY_NAME + "=fs)").write(sha, bytes.length,
                            new ByteArrayInputStream(bytes));
                    service(BlobStore.class, "(" + BlobStore.PROPERTY_NAME + "=fs)").delete(sha);
                    return false;
                } catch (io.metalforge.api.store.InsufficientSpaceException refused) {
                    return true;
                }
            });
        }
    }

    @Test
    public void blobStoreDirectIo() throws Exception {
        // what the page cache holds of an 8 MiB partial, as util-linux's fincore reports it: nothing where the
        // store writes whole blocks directly (by default, where the data folder's file system takes O_DIRECT), all
        // of it with direct_io=false
        Path partials = Path.of(context.getProperty("metalforge.data"), "blobs", ".partial");
        long byDefault = directIoIn(partials) ? 0 : 8 << 20;
        // awaited: another test's store configuration may still be on its way out
        awaitTrue("the default store", () -> cachedBytesOfNewPartial(partials,
                "cfg-direct-default-" + System.nanoTime()) == byDefault);
        try (Cfg cfg = Cfg.drop("io.metalforge.store.fs", "direct_io=false")) {
            awaitTrue("direct_io=false applied", () -> cachedBytesOfNewPartial(partials,
                    "cfg-direct-off-" + System.nanoTime()) == 8 << 20);
        }
    }

    /**
     * Page-cache bytes of a partial of 8 MiB appended in one chunk through the store, then discarded; -1 where the
     * store refused it for space (a quota another test set, not yet taken back).
     */
    private long cachedBytesOfNewPartial(Path partials, String uploadId) throws Exception {
        ResumableBlobStore store = service(ResumableBlobStore.class, "(" + BlobStore.PROPERTY_NAME + "=fs)");
        byte[] data = new byte[8 << 20];
        new java.util.Random(uploadId.hashCode()).nextBytes(data);
        try {
            store.appendPartial(uploadId, data.length, new ByteArrayInputStream(data), data.length);
        } catch (io.metalforge.api.store.InsufficientSpaceException e) {
            observed = e.getMessage();
            return -1;
        }
        try {
            Process fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES",
                    partials.resolve(uploadId).toString()).redirectErrorStream(true).start();
            String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue("fincore: " + out, fincore.waitFor() == 0);
            observed = "fincore RES " + out;
            return Long.parseLong(out);
        } finally {
            store.discardPartial(uploadId);
        }
    }

    /** Whether the file system of {@code folder} takes O_DIRECT (ext4 and xfs do, tmpfs before Linux 6.6 does not). */
    private static boolean directIoIn(Path folder) throws Exception {
        Path probe = Files.createTempFile(folder, "probe", "");
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(probe,
                java.nio.file.StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    public void powerServiceLimits() throws Exception {
        try (Cfg cfg = Cfg.drop("io.metalforge.power.service", "max_machines=1")) {
            awaitTrue("max_machines applied", () -> {
                PowerService power = service(PowerService.class, null);
                power.setBmc("cfg-m1", "manual", Map.of());
                try {
                    power.setBmc("cfg-m2", "manual", Map.of());
                    power.removeBmc("cfg-m2");
                    return false;
                } catch (PowerFailure refused) {
                    return true;
                } finally {
                    power.removeBmc("cfg-m1");
                }
            });
        }
    }

    @Test
    public void ipmiToolFolder() throws Exception {
        Path empty = Files.createTempDirectory("metalforge-no-tools");
        try (Cfg cfg = Cfg.drop("io.metalforge.power.ipmi", "tool_dir=" + empty)) {
            awaitTrue("tool_dir applied", () -> {
                try {
                    service(PowerDriverRegistry.class, null).require("ipmi").query(
                            Map.of("power_address", "127.0.0.1", "power_user", "maas", "power_pass", "maaspass"));
                    return false;
                } catch (PowerFailure f) {
                    observed = f.getMessage();
                    return f.getMessage().contains("not found in " + empty);
                }
            });
        }
    }

    @Test
    public void redfishRequestTimeout() throws Exception {
        // a BMC that accepts connections and never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Cfg cfg = Cfg.drop("io.metalforge.power.redfish", "request_timeout=1", "backoff_unit_ms=1")) {
            Map<String, String> settings = Map.of("power_address", "http://127.0.0.1:" + silent.getLocalPort(),
                    "power_user", "admin", "power_pass", "secret");
            // default: 30 s per request and 5 attempts (over 2 minutes); configured: 1 s per request, pauses of 1 ms.
            // Each attempt runs aside, so that one started before the setting applied does not hold the test.
            awaitTrue("request_timeout applied", () -> {
                PowerDriverRegistry drivers = service(PowerDriverRegistry.class, null);
                CompletableFuture<String> query = CompletableFuture.supplyAsync(() -> {
                    try {
                        drivers.require("redfish").query(settings);
                        return "answered";
                    } catch (PowerFailure expected) {
                        return expected.getMessage();
                    }
                });
                try {
                    observed = query.get(20, TimeUnit.SECONDS);
                    return observed.contains("no answer within 1 s");
                } catch (TimeoutException slow) {
                    observed = "the query took over 20 s";
                    return false;
                }
            });
        }
    }

    // ---- helpers

    /** A configuration file in the deploy folder, written atomically as an operator's editor would leave it. */
    private record Cfg(Path file) implements AutoCloseable {

        static Cfg drop(String pid, String... lines) throws Exception {
            Path deploy = Path.of(System.getProperty(PlatformOptions.DEPLOY_DIR));
            Path tmp = deploy.resolve(pid + ".cfg.part");
            Files.writeString(tmp, String.join("\n", lines) + "\n");
            return new Cfg(Files.move(tmp, deploy.resolve(pid + ".cfg"), StandardCopyOption.ATOMIC_MOVE));
        }

        @Override
        public void close() throws Exception {
            Files.deleteIfExists(file);
        }
    }

    private <T> T service(Class<T> type, String filter) throws Exception {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < end) {
            var refs = context.getServiceReferences(type, filter);
            for (ServiceReference<T> ref : refs) {
                T service = context.getService(ref);
                if (service != null) {
                    return service;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(type.getSimpleName() + " not registered");
    }

    private ImageReport inspect(byte[] tgz) throws Exception {
        InspectionSession session = service(ImageDoctor.class, null)
                .open(new ImageExpectation("tgz", "amd64/generic", ""));
        try {
            session.feed(tgz, 0, tgz.length);
            return session.finish();
        } finally {
            session.close();
        }
    }

    /** A gzip'd tar of {@code files} small regular files. */
    private static byte[] tgz(int files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            for (int i = 0; i < files; i++) {
                byte[] header = new byte[512];
                put(header, 0, "etc/file" + i);
                put(header, 100, "0000644");
                put(header, 108, "0000000");
                put(header, 116, "0000000");
                put(header, 124, "00000000004");
                put(header, 136, "00000000000");
                header[156] = '0';
                put(header, 257, "ustar");
                put(header, 263, "00");
                java.util.Arrays.fill(header, 148, 156, (byte) ' ');
                int sum = 0;
                for (byte b : header) {
                    sum += b & 0xff;
                }
                put(header, 148, String.format("%06o", sum));
                header[154] = 0;
                gz.write(header);
                byte[] body = new byte[512];
                put(body, 0, "abcd");
                gz.write(body);
            }
            gz.write(new byte[1024]);
        }
        return out.toByteArray();
    }

    private static void put(byte[] block, int at, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, block, at, b.length);
    }

    private String postThreeParts() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port")
                + "/MAAS/api/2.0/version/");
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=B");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            body.append("--B\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        body.append("--B--\r\n");
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.toString().getBytes(StandardCharsets.US_ASCII));
        }
        InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
        try (in) {
            return c.getResponseCode() + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private String shell(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream previous = System.out;
        try (CommandSession session = shell.createSession(System.in, print, print)) {
            // the upload command prints its progress on System.out, as the console's output
            System.setOut(print);
            Object result = session.execute(command);
            return String.valueOf(result) + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(previous);
        }
    }

    /** Polls until the condition holds; a condition that throws is retried (the component may be restarting). */
    private static void awaitTrue(String what, Check condition) throws Exception {
        observed = "";
        long end = System.currentTimeMillis() + DEADLINE_MS;
        Throwable last = null;
        while (System.currentTimeMillis() < end) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (Exception | Error e) {
                last = e;
            }
            Thread.sleep(200);
        }
        fail(what + ": not within " + DEADLINE_MS + " ms; last seen: " + observed
                + (last == null ? "" : "; last error: " + last));
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
