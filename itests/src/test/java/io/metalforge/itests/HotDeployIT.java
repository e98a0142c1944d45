package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.boot.BootTargets;
import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.DeploymentComposer;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;
import io.metalforge.api.source.ImageImporter;
import io.metalforge.api.source.ImageStreamSourceRegistry;

/**
 * Vendor bundles dropped into the deploy folder of a running platform are wired within 2 s, usable, listed by the
 * shell command operators use, and removed again without errors and without a restart: an OS handler, a power driver
 * and an image source that is not SimpleStreams (a boot source of its type syncs; once it is removed, that boot
 * source reports "source type 'imagedir' is not installed").
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT {

    private static final long DEADLINE_MS = 2000;

    private static final Machine MACHINE = new Machine("n1", "web01", "maas", "amd64", "generic", BootMethod.UEFI,
            List.of(NetworkInterface.physical("eth0", "52:54:00:12:34:56", 0, List.of(Link.dhcp4()))), List.of(),
            List.of(new Disk("sda", "QEMU HARDDISK", "QM-1", "/dev/disk/by-id/ata-QEMU_1", 100L << 30)), null,
            List.of(), List.of());
    private static final DeployImage CUSTOM_ON_ROCKY = image("custom", "rocky9-cis", "rocky/rocky9");
    private static final DeployImage ROCKY = image("rocky", "rocky9", "");
    private static final DeployImage UBUNTU = new DeployImage("ubuntu", "noble", "amd64", "generic", "squashfs", null,
            "abcdef0", null, "");
    private static final DeploySettings SETTINGS = DeploySettings.preview("http://10.0.0.2:5240/MAAS/", "10.0.0.3");

    private static DeployImage image(String os, String release, String base) {
        return new DeployImage(os, release, "amd64", "generic", "root-tgz", null, "abcdef0", null, base);
    }

    @Inject
    BundleContext context;

    @Inject
    OsHandlerRegistry osHandlers;

    @Inject
    PowerDriverRegistry powerDrivers;

    @Inject
    DeploymentComposer composer;

    @Inject
    PowerService power;

    @Inject
    CommandProcessor shell;

    @Inject
    ImageStreamSourceRegistry streamSources;

    @Inject
    ImageImporter importer;

    @Inject
    BootResourceCatalog catalog;

    @Inject
    LogReaderService logReader;

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final LogListener errorCollector = this::collect;

    @Configuration
    public Option[] config() throws Exception {
        return PlatformOptions.platform();
    }

    @Before
    public void listenForErrors() {
        logReader.addLogListener(errorCollector);
    }

    @After
    public void stopListening() {
        logReader.removeLogListener(errorCollector);
    }

    @Test
    public void osHandlerBundleComesAndGoes() throws Exception {
        long frameworkStart = systemBundleLastModified();
        Api api = Api.asNewAdmin(context, shell, "rocky-admin");
        Path jar = drop("metalforge.example.rocky", "rocky.jar");

        assertWithin("rocky wired", () -> osHandlers.find("rocky").isPresent());
        assertEquals("Rocky Linux 9", osHandlers.require("rocky").releaseTitle("rocky9"));
        assertTrue(extensions().contains("rocky"));
        // accepted at once as the base OS of a custom image and as an OS of its own
        DeploymentConfig onRocky = composer.compose(MACHINE, CUSTOM_ON_ROCKY, SETTINGS);
        assertTrue(onRocky.documents().stream().anyMatch(d -> d.content().contains("validate-custom-image-has-cloud-init")));
        assertTrue(composer.compose(MACHINE, ROCKY, SETTINGS).sourceUrl().endsWith("/rocky9/stable/root-tgz"));

        // through the HTTP API, on a fresh platform with nothing synced: upload a custom image on Rocky, compose it
        Api.Reply uploaded = api.post("/MAAS/api/2.0/boot-resources/", uploadForm("rocky9-cis"));
        assertEquals(uploaded.body(), 201, uploaded.status());
        assertTrue(uploaded.body(), uploaded.body().contains("\"base_image\":\"rocky/rocky9\""));
        Api.Reply composed = api.post("/MAAS/api/2.0/deployment-preview/?op=compose", previewForm());
        assertEquals(composed.body(), 200, composed.status());
        assertTrue(composed.body(), composed.body().contains("validate-custom-image-has-cloud-init"));
        // what Rocky's handler says a custom image on it needs: cloud-init, not netplan
        assertFalse(composed.body(), composed.body().contains("validate-custom-image-has-netplan"));

        Files.delete(jar);
        assertWithin("rocky gone", () -> osHandlers.find("rocky").isEmpty());
        assertFalse(extensions().contains("rocky"));
        String notInstalled = "OS handler 'rocky' is not installed; installed: centos, custom, esxi, ol, rhel, suse, "
                + "ubuntu, windows";
        assertEquals(notInstalled, expectNotInstalled(() -> osHandlers.require("rocky")).getMessage());
        // machines that use it get the clear error; the others keep composing
        assertEquals(notInstalled,
                expectNotInstalled(() -> composer.compose(MACHINE, CUSTOM_ON_ROCKY, SETTINGS)).getMessage());
        assertEquals("cp:///media/root-ro", composer.compose(MACHINE, UBUNTU, SETTINGS).sourceUrl());
        // both upload paths and the composition refuse it over HTTP with the same message
        Api.Reply refused = api.post("/MAAS/api/2.0/boot-resources/", uploadForm("rocky9-second"));
        assertEquals(refused.body(), 400, refused.status());
        assertTrue(refused.body(), refused.body().contains(notInstalled));
        Api.Reply refusedV3 = api.postRaw("/MAAS/a/v3/custom_images", Map.of("name", "rocky9-v3", "sha256", SHA,
                "architecture", "amd64/generic", "file-type", "tgz", "base-image", "rocky/rocky9"), new byte[100]);
        assertEquals(refusedV3.body(), 400, refusedV3.status());
        assertTrue(refusedV3.body(), refusedV3.body().contains(notInstalled));
        Api.Reply notComposed = api.post("/MAAS/api/2.0/deployment-preview/?op=compose", previewForm());
        assertEquals(notComposed.body(), 400, notComposed.status());
        assertTrue(notComposed.body(), notComposed.body().contains(notInstalled));
        assertWithin("bundle uninstalled", () -> bundle("io.metalforge.example.os.rocky") == null);

        assertEquals("no restart", frameworkStart, systemBundleLastModified());
        assertEquals("errors logged: " + errors, List.of(), errors);
    }

    private static final String SHA = "ab".repeat(32);

    private static Map<String, String> uploadForm(String name) {
        return Map.of("name", name, "architecture", "amd64/generic", "sha256", SHA, "size", "100", "base_image",
                "rocky/rocky9");
    }

    private static Map<String, String> previewForm() {
        return Map.of("image", "custom/rocky9-cis", "filetype", "root-tgz", "base_image", "rocky/rocky9", "machine",
                "{\"system_id\": \"n1\", \"hostname\": \"web01\", \"domain\": \"maas\", \"architecture\": \"amd64\", "
                        + "\"subarch\": \"generic\", \"boot_method\": \"uefi\", \"interfaces\": [{\"name\": \"eth0\", "
                        + "\"type\": \"physical\", \"mac\": \"52:54:00:12:34:56\", \"enabled\": true, \"links\": "
                        + "[{\"mode\": \"static\", \"address\": \"10.0.0.21\", \"subnet\": {\"cidr\": \"10.0.0.0/24\", "
                        + "\"gateway\": \"10.0.0.1\"}}]}], \"disks\": [{\"name\": \"sda\", \"model\": \"QEMU HARDDISK\", "
                        + "\"serial\": \"QM-1\", \"size_bytes\": 107374182400}]}");
    }

    @Test
    public void powerDriverBundleComesAndGoes() throws Exception {
        Path jar = drop("metalforge.example.acme", "acme.jar");

        assertWithin("acme wired", () -> powerDrivers.find("acme-pdu").isPresent());
        Map<String, String> settings = Map.of("power_address", "10.1.2.3", "outlet", "1", "power_pass", "pw");
        // usable at once through the power service, as the API and the shell use it
        power.setBmc("node-7", "acme-pdu", settings);
        assertEquals(PowerState.ON, power.perform("node-7", PowerOperation.ON));
        assertEquals(PowerState.ON, power.perform("node-7", PowerOperation.QUERY));
        assertTrue(extensions().contains("acme-pdu"));

        Files.delete(jar);
        assertWithin("acme gone", () -> powerDrivers.find("acme-pdu").isEmpty());
        assertFalse(extensions().contains("acme-pdu"));
        assertEquals("power driver 'acme-pdu' is not installed",
                expectNotInstalled(() -> powerDrivers.require("acme-pdu")).getMessage());
        // removed while a BMC uses it: operations fail with the same clear message, nothing hangs
        try {
            power.perform("node-7", PowerOperation.QUERY);
            throw new AssertionError("a power operation without its driver succeeded");
        } catch (Exception failure) {
            assertTrue(String.valueOf(failure.getMessage()),
                    String.valueOf(failure.getMessage()).contains("power driver 'acme-pdu' is not installed"));
        }
        assertEquals("errors logged: " + errors, List.of(), errors);
    }

    @Test
    public void imageSourceBundleComesAndGoes() throws Exception {
        // a plain folder of images with a manifest: not SimpleStreams
        Path folder = Files.createTempDirectory("metalforge-imagedir");
        StringBuilder files = new StringBuilder();
        for (String ftype : List.of("boot-kernel", "boot-initrd", "squashfs")) {
            byte[] data = ("the " + ftype + " of the vendor's noble image\n").repeat(100)
                    .getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(folder.resolve("noble"));
            Files.write(folder.resolve("noble").resolve(ftype), data);
            files.append(files.length() == 0 ? "" : ", ").append("{\"ftype\": \"").append(ftype)
                    .append("\", \"path\": \"noble/").append(ftype).append("\", \"sha256\": \"")
                    .append(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(data))).append("\", \"size\": ").append(data.length).append('}');
        }
        Files.writeString(folder.resolve("manifest.json"), "{\"images\": [{\"os\": \"ubuntu\", \"release\": "
                + "\"noble\", \"version\": \"24.04\", \"arch\": \"amd64\", \"serial\": \"20250102\", "
                + "\"files\": [" + files + "]}]}");
        String url = "imagedir+" + folder.toUri();

        Path jar = drop("metalforge.example.imagedir", "imagedir.jar");
        assertWithin("imagedir wired", () -> streamSources.find("imagedir").isPresent());
        String added = shell("metalforge:bootsourceadd " + url + " 5 skip");
        assertTrue(added, added.startsWith("Boot source "));
        long id = Long.parseLong(added.substring("Boot source ".length(), added.indexOf(' ', 12)));
        String selected = shell("metalforge:bootselect " + id + " ubuntu noble amd64");
        assertTrue(selected, selected.startsWith("Selection "));

        Map<String, Object> progress = importNow();
        BootResource noble = catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/generic")
                .orElseThrow(() -> new AssertionError("not synced from the vendor source"));
        assertTrue(catalog.isComplete(catalog.sets(noble.id()).get(0).id()));
        assertEquals(progress.toString(), "complete", source(progress, id).get("state"));

        Files.delete(jar);
        assertWithin("imagedir gone", () -> streamSources.find("imagedir").isEmpty());
        progress = importNow();
        assertEquals(progress.toString(), "failed", source(progress, id).get("state"));
        assertTrue(progress.toString(), String.valueOf(source(progress, id).get("error"))
                .endsWith("source type 'imagedir' is not installed"));
        // what it synced stays while its source cannot be read
        assertTrue(catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/generic").isPresent());
        shell("metalforge:bootsourceremove " + id);
    }

    private Map<String, Object> importNow() throws InterruptedException {
        importer.startImport();
        long end = System.currentTimeMillis() + 60_000;
        while (importer.isImporting() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertFalse("import still running after 60 s", importer.isImporting());
        return importer.progress();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(Map<String, Object> progress, long id) {
        for (Map<String, Object> s : (List<Map<String, Object>>) progress.get("sources")) {
            if (((Number) s.get("id")).longValue() == id) {
                return s;
            }
        }
        throw new AssertionError("source " + id + " not in " + progress);
    }

    @Test
    public void bootMethodBundleComesAndGoes() throws Exception {
        // a real in-memory BootTargets for the MAC it boots, ranked above the machines bundle's (the boot service
        // takes the highest ranked), so the test needs no machine in the database
        BootTarget node = new BootTarget("n7", "web07", "52:54:00:00:00:07", "ppc64el/generic", BootIntent.LOCAL, "",
                "", "");
        ServiceRegistration<BootTargets> targets = context.registerService(BootTargets.class, new BootTargets() {
            @Override
            public Optional<BootTarget> forMac(String mac) {
                return node.mac().equals(mac.replace('-', ':').toLowerCase(java.util.Locale.ROOT)) ? Optional.of(node)
                        : Optional.empty();
            }

            @Override
            public Optional<BootTarget> forSystemId(String systemId) {
                return node.systemId().equals(systemId) ? Optional.of(node) : Optional.empty();
            }
        }, new java.util.Hashtable<>(Map.of(org.osgi.framework.Constants.SERVICE_RANKING, Integer.MAX_VALUE)));
        try {
            String base = "http://127.0.0.1:" + context.getProperty("metalforge.boot.http.port");
            String url = base + "/petitboot/52-54-00-00-00-07";
            assertWithin("boot HTTP server up", () -> curl(url).startsWith("404"));
            Path jar = drop("metalforge.example.petitboot", "petitboot.jar");
            assertWithin("petitboot wired", () -> curl(url).startsWith("200"));
            assertTrue(curl(url), curl(url).contains("# petitboot (kboot) config for web07, by Metalforge: boot the disk"
                    + "\ndefault=local\n"));
            assertTrue(bootCommand(), bootCommand().contains("Boot methods: ipxe, petitboot, pxe, uefi\n"));

            Files.delete(jar);
            assertWithin("petitboot gone", () -> curl(url).startsWith("404"));
            assertTrue(bootCommand(), bootCommand().contains("Boot methods: ipxe, pxe, uefi\n"));
            // and its requests were logged for the machine, answered and refused
            assertTrue(bootCommand(), bootCommand().contains("52:54:00:00:00:07:\n"));
            // the shipped methods keep answering
            assertTrue(curl(base + "/ipxe.cfg-52:54:00:00:00:07").startsWith("200\n#!ipxe\n"));
        } finally {
            targets.unregister();
        }
        assertEquals("errors logged: " + errors, List.of(), errors);
    }

    /** "STATUS\nBODY" of a GET with the real curl. */
    private static String curl(String url) {
        try {
            Process p = new ProcessBuilder("curl", "-s", "--max-time", "5", "-w", "\n%{http_code}", url).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            int nl = out.lastIndexOf('\n');
            return out.substring(nl + 1) + "\n" + out.substring(0, Math.max(0, nl));
        } catch (Exception e) {
            return "curl failed: " + e;
        }
    }

    private String bootCommand() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = shell.createSession(System.in, print, print)) {
            return String.valueOf(session.execute("metalforge:boot"));
        }
    }

    private String shell(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = shell.createSession(System.in, print, print)) {
            return String.valueOf(session.execute(command));
        }
    }

    private Path drop(String property, String name) throws Exception {
        Path source = Path.of(System.getProperty(property));
        Path deploy = Path.of(System.getProperty(PlatformOptions.DEPLOY_DIR));
        // copy then rename: FileInstall must never see a half-written jar
        Path tmp = Files.copy(source, deploy.resolve(name + ".part"), StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private String extensions() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = shell.createSession(System.in, print, print)) {
            Object result = session.execute("metalforge:extensions");
            return String.valueOf(result) + out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void assertWithin(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError(what + ": not within " + DEADLINE_MS + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static ExtensionNotInstalledException expectNotInstalled(Runnable call) {
        try {
            call.run();
        } catch (ExtensionNotInstalledException e) {
            return e;
        }
        throw new AssertionError("expected ExtensionNotInstalledException");
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private long systemBundleLastModified() {
        return context.getBundle(0).getLastModified();
    }

    private void collect(LogEntry entry) {
        if (entry.getLogLevel() == LogLevel.ERROR) {
            errors.add(entry.getMessage() + (entry.getException() == null ? "" : " " + entry.getException()));
        }
    }
}
