package io.metalforge.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

/**
 * Proof by boot: real VMs netboot from Metalforge, write an uploaded custom image to their disk, boot it, and the
 * API says Deployed.
 *
 * <p>The test builds its guest with {@code src/test/realboot/build-guest.sh} from Debian packages (Debian's kernel, a
 * busybox initramfs whose {@code /init} plays MAAS's ephemeral cloud-init and curtin, and a 24 MiB BIOS-bootable
 * dd-gz image), starts the exported jar as a process on free loopback ports, and then acts as a MAAS client (signed
 * requests): it syncs the guest's kernel and initrd as ubuntu/noble from a SimpleStreams mirror it wrote, uploads the
 * image as {@code custom/realboot} ({@code ddgz}), creates machines whose webhook power endpoints are a small server
 * in this test that starts and stops qemu, and deploys. qemu (TCG; user networking with {@code restrict=on}, its only
 * exit a guestfwd to the boot HTTP port) netboots over iPXE, and at the same time over PXELINUX, where the first
 * deployment gets a disk too small for the image and fails; released, that machine deploys again and succeeds, while
 * a UEFI machine (OVMF) netboots GRUB, which reads Metalforge's grub.cfg and the machine's grub.cfg-&lt;mac&gt;, boots
 * the kernel it names, and after the install chainloads the image's own GRUB from the disk. Nothing is mocked but the
 * DHCP server (qemu's) and the BMC (the webhook server).
 *
 * <p>Needs the Debian packages listed for this test in {@code .ci/run} and Debian's kernel package, fetched by
 * {@code .ci/fetch-kernel.sh} into {@code ~/.cache/metalforge/kernel} (or named by {@code METALFORGE_REALBOOT_KERNEL}).
 * Run alone: {@code mvn -B -o -pl itests -am verify -Dit.test=RealBootIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public class RealBootIT {

    private static final long MIB = 1024 * 1024;
    /**
     * The image is 24 MiB; for a dd image the composer asks no 3 GiB root (curtin writes the image whole, docs/PRESEED.md),
     * so a disk that holds the image (and the datasource in its last MiB) is enough.
     */
    private static final long DISK_BYTES = 64 * MIB;
    private static final String IMAGE = "custom/realboot";
    private static final int DEPLOY_SECONDS = 600;

    private final List<QemuMachine> vms = new ArrayList<>();
    private ApplianceProcess metalforge;
    private WebhookBmc bmc;
    private Path work;
    private Path guest;
    private int bootPort;
    private String resourceId;

    @After
    public void stop() throws InterruptedException {
        for (QemuMachine vm : vms) {
            vm.powerOff();
        }
        if (bmc != null) {
            bmc.close();
        }
        if (metalforge != null) {
            metalforge.close();
        }
        if (work != null) {
            // about 100 MB: the guest, the appliance's data, the mirror, the VMs' disks (sparse)
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.out.println("realboot: could not delete " + work + ": " + e.getMessage());
            }
        }
    }

    @Test
    public void machinesNetbootFromMetalforgeWriteTheImageAndBootIt() throws Exception {
        long t0 = System.nanoTime();
        Api api = appliance();
        bmc = new WebhookBmc();
        byte[] image = Files.readAllBytes(guest.resolve("image.raw"));

        // 1. iPXE: deploy, and the machine is Deployed with the image on its disk; meanwhile (one VM per core)
        // 2. PXELINUX: a disk too small for the image fails the deployment, with the reason, within a bounded time
        QemuMachine ipxe = vm("52:54:00:12:34:56", QemuMachine.Firmware.IPXE);
        String a = createMachine(api, "ipxe-vm", "52:54:00:12:34:56", ipxe);
        QemuMachine pxe = vm("52:54:00:12:34:57", QemuMachine.Firmware.PXELINUX);
        String b = createMachine(api, "pxelinux-vm", "52:54:00:12:34:57", pxe);
        QemuMachine uefi = vm("52:54:00:12:34:58", QemuMachine.Firmware.UEFI);
        String c = createMachine(api, "uefi-vm", "52:54:00:12:34:58", uefi);
        bmc.nextDisk("pxelinux-vm", 8 * MIB);
        ExecutorService second = Executors.newSingleThreadExecutor();
        Map<String, String> failed;
        try {
            Future<Map<String, String>> failing = second.submit(() -> deployAndAwait(api, b, pxe,
                    "PXELINUX, disk too small", "Failed deployment"));
            deployAndAwait(api, a, ipxe, "iPXE", "Deployed");
            checkDeployed(api, a, ipxe, image);
            failed = failing.get(DEPLOY_SECONDS + 60, TimeUnit.SECONDS);
        } finally {
            second.shutdownNow();
        }
        assertTrue("the reason is the installer's: " + failed, failed.get("status_message")
                .startsWith("Failed to write the image to /dev/vda"));
        assertTrue("the guest reported the failure and powered off", pxe.awaitOff(60));
        String events = events(api, b);
        assertTrue("the installer's FAIL event is listed: " + events,
                events.contains("curtin finish cmd-install: Failed to write the image to /dev/vda"));

        // 3. PXELINUX released, and deployed again with a disk that fits: Deployed; meanwhile
        // 4. UEFI: OVMF loads GRUB, which reads grub.cfg and grub.cfg-<mac> over HTTP and boots the kernel it names;
        // after netboot_off the local config chainloads the image's own GRUB from the disk: Deployed
        long t3 = System.nanoTime();
        Api.Reply released = api.post("/MAAS/api/2.0/machines/" + b + "/?op=release", Map.of());
        assertEquals(released.toString(), 200, released.status());
        awaitStatus(api, b, "Ready", 60);
        stage("PXELINUX: release after the failure", t3);
        bmc.nextDisk("pxelinux-vm", DISK_BYTES);
        ExecutorService third = Executors.newSingleThreadExecutor();
        try {
            Future<Map<String, String>> grub = third.submit(() -> deployAndAwait(api, c, uefi, "UEFI", "Deployed"));
            deployAndAwait(api, b, pxe, "PXELINUX", "Deployed");
            grub.get(DEPLOY_SECONDS + 60, TimeUnit.SECONDS);
        } finally {
            third.shutdownNow();
        }
        checkDeployed(api, a, ipxe, image);
        checkDeployed(api, b, pxe, image);
        checkDeployed(api, c, uefi, image);
        String console = uefi.console();
        int grubConfig = console.indexOf("Booting under Metalforge direction");
        assertTrue("GRUB read the machine's config from Metalforge and booted the kernel it names:\n" + console,
                grubConfig >= 0 && grubConfig < console.indexOf("MF init ephemeral"));
        // the local config ends in "exit 1", after which OVMF would boot the disk by itself: its echo shows it ran
        int localConfig = console.indexOf("Booting local disk...", console.indexOf("MF netboot off"));
        assertTrue("GRUB read the machine's local config from Metalforge after netboot_off:\n" + console,
                console.indexOf("MF netboot off") >= 0 && localConfig >= 0);
        assertTrue("the local config chainloaded the image's own GRUB from the disk:\n" + console,
                console.indexOf("Booting the deployed image (UEFI)", localConfig) > localConfig);

        // the image's last deployment and the deployment metrics
        Api.Reply resource = api.get("/MAAS/api/2.0/boot-resources/" + resourceId + "/");
        assertTrue("last_deployed is set: " + resource.body(),
                Pattern.compile("\"last_deployed\":\\s*\"\\d{4}-").matcher(resource.body()).find());
        Api.Reply metrics = api.get("/MAAS/metrics");
        assertEquals(metrics.toString(), 200, metrics.status());
        assertTrue("the three machines count as deployed custom images:\n" + metrics.body(),
                metrics.body().contains("\nmaas_custom_static_images_deployed 3"));
        assertTrue("three deployments deployed, one failed:\n" + metrics.body(),
                metrics.body().contains("metalforge_deployments_total{result=\"deployed\"} 3")
                        && metrics.body().contains("metalforge_deployments_total{result=\"failed\"} 1"));
        stage("total", t0);
    }

    /**
     * Builds the guest, starts the appliance, makes the administrator, syncs the ephemeral kernel and initrd and
     * uploads {@value #IMAGE}; the administrator's API.
     */
    private Api appliance() throws Exception {
        long t0 = System.nanoTime();
        work = Files.createTempDirectory("metalforge-realboot");
        guest = buildGuest(work.resolve("guest"));
        stage("build guest (kernel, initramfs, dd-gz image)", t0);

        long t1 = System.nanoTime();
        Path cwd = Files.createDirectories(work.resolve("appliance"));
        Path keyring = work.resolve("mirror-keyring.gpg");
        String indexUrl = EphemeralMirror.write(work.resolve("mirror"), guest.resolve("vmlinuz"),
                guest.resolve("initrd.gz"), guest.resolve("squashfs"), keyring);
        int apiPort = PlatformOptions.freePort();
        bootPort = PlatformOptions.freePort();
        configure(cwd, indexUrl, keyring);
        metalforge = ApplianceProcess.start(cwd, List.of("-Dorg.osgi.service.http.port=" + apiPort,
                "-Dmetalforge.boot.bind=127.0.0.1", "-Dmetalforge.boot.http.port=" + bootPort,
                "-Dmetalforge.boot.tftp.port=" + PlatformOptions.freeUdpPort()));
        Api api = Api.withKey("http://127.0.0.1:" + apiPort, metalforge.createadmin("admin"));
        stage("start Metalforge, create the administrator", t1);

        long t2 = System.nanoTime();
        syncEphemeral(api, indexUrl);
        resourceId = uploadImage(api, guest.resolve("root-dd.gz"));
        stage("sync the ephemeral kernel and initrd, upload " + IMAGE, t2);
        return api;
    }

    // ---- the guest

    private static Path buildGuest(Path out) throws Exception {
        Path kernel = kernelPackage();
        for (String tool : List.of("qemu-system-x86_64", "busybox", "cpio", "syslinux", "pxelinux-options", "mcopy",
                "mmd", "mkfs.fat", "sfdisk", "dpkg-deb", "grub-mkimage")) {
            if (!onPath(tool)) {
                fail(tool + " is not installed: install the real-boot test's packages (.ci/run)");
            }
        }
        for (Path file : List.of(Path.of("/usr/lib/PXELINUX/lpxelinux.0"), Path.of("/usr/lib/syslinux/mbr/mbr.bin"),
                QemuMachine.OVMF_CODE, QemuMachine.OVMF_VARS, Path.of("/usr/lib/grub/x86_64-efi/efinet.mod"))) {
            if (!Files.isRegularFile(file)) {
                fail(file + " is missing: install the real-boot test's packages (.ci/run)");
            }
        }
        Path script = Path.of(System.getProperty("metalforge.realboot.dir"), "build-guest.sh");
        Path log = Files.createDirectories(out).resolve("build.log");
        Process p = new ProcessBuilder("bash", script.toString(), kernel.toString(), out.toString(),
                QemuMachine.ADVERTISED, "uefi").redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            assertTrue("build-guest.sh ended within 180 s", p.waitFor(180, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals("build-guest.sh: " + Files.readString(log), 0, p.exitValue());
        return out;
    }

    /** Debian's kernel package: METALFORGE_REALBOOT_KERNEL (a .deb or a folder), else ~/.cache/metalforge/kernel. */
    private static Path kernelPackage() throws IOException {
        String named = System.getenv("METALFORGE_REALBOOT_KERNEL");
        Path where = named != null && !named.isBlank() ? Path.of(named)
                : Path.of(System.getProperty("user.home"), ".cache", "metalforge", "kernel");
        if (Files.isRegularFile(where)) {
            return where;
        }
        if (Files.isDirectory(where)) {
            try (Stream<Path> debs = Files.list(where)) {
                Path deb = debs.filter(f -> f.getFileName().toString().matches("linux-image-.*_amd64\\.deb"))
                        .sorted().reduce((x, y) -> y).orElse(null);
                if (deb != null) {
                    return deb;
                }
            }
        }
        throw new AssertionError("no Debian kernel package (linux-image-*_amd64.deb) at " + where
                + ": run .ci/fetch-kernel.sh, or set METALFORGE_REALBOOT_KERNEL to a kernel .deb");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private QemuMachine vm(String mac, QemuMachine.Firmware firmware) {
        QemuMachine vm = new QemuMachine(mac, firmware, work.resolve("disk-" + mac.replace(':', '-') + ".raw"),
                guest.resolve("tftp"), bootPort);
        vms.add(vm);
        return vm;
    }

    // ---- the appliance

    /**
     * The operator's settings, in the deploy folder: machines reach the boot server as 10.0.2.100:5248 (the guestfwd
     * address), the default boot source is the test's mirror (as an air-gapped site points it at its own) and the image
     * sync does not run on its own, and the PXELINUX modules of Debian's syslinux-common are in the bootloader folder
     * (docs/BOOT.md, "Bootloaders").
     */
    private static void configure(Path cwd, String indexUrl, Path keyring) throws IOException {
        Path deploy = Files.createDirectories(cwd.resolve("deploy"));
        Files.writeString(deploy.resolve("io.metalforge.boot.cfg"), "advertised_address=" + QemuMachine.ADVERTISED
                + "\n");
        Files.writeString(deploy.resolve("io.metalforge.machines.cfg"), "maas_url=http://" + QemuMachine.ADVERTISED
                + "/MAAS/\nkernel_options=console=ttyS0 quiet panic=5\n");
        Files.writeString(deploy.resolve("io.metalforge.simplestreams.cfg"), "auto_import=false\ndefault_source_url="
                + indexUrl + "\ndefault_keyring=" + keyring + "\n");
        Path bootloaders = Files.createDirectories(cwd.resolve("var/bootloaders"));
        for (String module : List.of("ldlinux.c32", "chain.c32", "libcom32.c32", "libutil.c32")) {
            Files.copy(Path.of("/usr/lib/syslinux/modules/bios", module), bootloaders.resolve(module));
        }
    }

    // ---- through the MAAS API

    /**
     * The default boot source (selection ubuntu/noble amd64) is the test's mirror once the deploy folder's
     * {@code default_source_url} and {@code default_keyring} have applied (a gpg-signed index.sjson, verified with the
     * mirror's key); then import, and wait until complete.
     */
    private static void syncEphemeral(Api api, String indexUrl) throws Exception {
        long configured = System.nanoTime() + 60_000_000_000L;
        Api.Reply sources = api.get("/MAAS/api/2.0/boot-sources/");
        while (!field(sources.body(), "url").equals(indexUrl) && System.nanoTime() < configured) {
            Thread.sleep(250);
            sources = api.get("/MAAS/api/2.0/boot-sources/");
        }
        assertEquals("the default boot source follows default_source_url: " + sources, indexUrl,
                field(sources.body(), "url"));
        assertEquals(sources.body(), "false", field(sources.body(), "skip_keyring_verification"));
        long idle = System.nanoTime() + 30_000_000_000L;
        while (api.get("/MAAS/api/2.0/boot-resources/?op=is_importing").body().contains("true")
                && System.nanoTime() < idle) {
            Thread.sleep(250);
        }
        Api.Reply started = api.post("/MAAS/api/2.0/boot-resources/?op=import", Map.of());
        assertEquals(started.toString(), 200, started.status());
        long end = System.nanoTime() + 90_000_000_000L;
        String last = "";
        while (System.nanoTime() < end) {
            last = api.get("/MAAS/api/2.0/boot-resources/?op=import_progress").body();
            if (last.replace(" ", "").contains("\"state\":\"complete\"")) {
                return;
            }
            if (last.replace(" ", "").contains("\"state\":\"failed\"")) {
                fail("the import of the ephemeral image failed: " + last);
            }
            Thread.sleep(250);
        }
        fail("the import did not complete within 90 s: " + last);
    }

    /** Uploads the dd-gz image as custom/realboot (base image ubuntu/noble); the doctor accepts it. Its id. */
    private static String uploadImage(Api api, Path ddgz) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", IMAGE);
        form.put("title", "Real-boot test image");
        form.put("architecture", "amd64/generic");
        form.put("base_image", "ubuntu/noble");
        form.put("filetype", "ddgz");
        form.put("sha256", EphemeralMirror.sha256(ddgz));
        form.put("size", Long.toString(Files.size(ddgz)));
        Api.Reply created = api.postMultipart("/MAAS/api/2.0/boot-resources/", form, "content",
                Files.readAllBytes(ddgz));
        assertEquals(created.toString(), 201, created.status());
        String body = created.body().replace(" ", "");
        Matcher verdict = Pattern.compile("\"image_verdict\":\"([a-z]+)\"").matcher(body);
        assertTrue("the upload has a verdict: " + created.body(), verdict.find());
        assertTrue("the image doctor accepts the image: " + created.body(),
                List.of("ok", "warnings", "warning").contains(verdict.group(1)));
        Matcher id = Pattern.compile("\"resource_uri\":\"[^\"]*/boot-resources/(\\d+)/").matcher(body);
        assertTrue(created.body(), id.find());
        return id.group(1);
    }

    private String createMachine(Api api, String name, String mac, QemuMachine vm) throws Exception {
        bmc.add(name, vm, DISK_BYTES);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("hostname", name);
        form.put("architecture", "amd64/generic");
        form.put("mac_addresses", mac);
        form.put("power_type", "webhook");
        form.putAll(bmc.powerParameters(name));
        form.put("hardware", "{\"disks\": [{\"name\": \"vda\", \"id_path\": \"/dev/vda\", \"size_bytes\": " + DISK_BYTES + "}]}");
        Api.Reply created = api.post("/MAAS/api/2.0/machines/", form);
        assertTrue(created.toString(), created.status() == 200 || created.status() == 201);
        String systemId = field(created.body(), "system_id");
        Api.Reply ready = api.post("/MAAS/api/2.0/machines/" + systemId + "/?op=mark_ready", Map.of());
        assertEquals(ready.toString(), 200, ready.status());
        Api.Reply allocated = api.post("/MAAS/api/2.0/machines/?op=allocate", Map.of("system_id", systemId));
        assertEquals(allocated.toString(), 200, allocated.status());
        return systemId;
    }

    /**
     * Deploys, then follows the API until {@code expected}, printing the stages. The machine. At most
     * {@value #DEPLOY_SECONDS} s: a deployment takes about 40 s on an idle 2-core machine; on one loaded 12- to 30-fold
     * up to 220 s was seen for a BIOS machine and 324 s for the UEFI one (OVMF is slower under TCG).
     */
    private Map<String, String> deployAndAwait(Api api, String systemId, QemuMachine vm, String label, String expected)
            throws Exception {
        String userData = "#cloud-config\nruncmd: [echo hello from " + label + "]\n";
        long t0 = System.nanoTime();
        Api.Reply deployed = api.post("/MAAS/api/2.0/machines/" + systemId + "/?op=deploy", Map.of("distro_series",
                IMAGE, "user_data", Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))));
        assertEquals(deployed.toString(), 200, deployed.status());
        assertEquals(deployed.body(), "Deploying", field(deployed.body(), "status_name"));
        Map<String, String> machine;
        try {
            machine = awaitStatus(api, systemId, expected, DEPLOY_SECONDS);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nevents: " + events(api, systemId) + "\nserial console of "
                    + label + ":\n" + vm.console(), e);
        }
        double apiSeconds = (System.nanoTime() - t0) / 1e9;
        double powerOn = apiSeconds - vm.secondsSincePowerOn();
        // the guest prints its last marks after the requests that changed the status, then powers off
        assertTrue(label + ": the guest powered off after reporting:\n" + vm.console(), vm.awaitOff(60));
        stages(label, vm, powerOn, apiSeconds, expected);
        return machine;
    }

    private Map<String, String> awaitStatus(Api api, String systemId, String expected, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String body = "";
        while (System.nanoTime() < end) {
            body = api.get("/MAAS/api/2.0/machines/" + systemId + "/").body();
            String status = field(body, "status_name");
            if (status.equals(expected)) {
                Map<String, String> m = new LinkedHashMap<>();
                for (String f : List.of("status_name", "status_message", "netboot", "osystem", "distro_series")) {
                    m.put(f, field(body, f));
                }
                return m;
            }
            if (!status.equals("Deploying") && !status.equals("Releasing")) {
                throw new AssertionError("machine " + systemId + " is " + status + ", not " + expected + ": " + body);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("machine " + systemId + " not " + expected + " within " + seconds + " s: " + body);
    }

    private void checkDeployed(Api api, String systemId, QemuMachine vm, byte[] image) throws Exception {
        Map<String, String> m = awaitStatus(api, systemId, "Deployed", 5);
        assertEquals("netboot is off: " + m, "false", m.get("netboot"));
        assertEquals(m.toString(), "custom", m.get("osystem"));
        assertTrue("the installed system reported and powered off:\n" + vm.console(), vm.awaitOff(60));
        byte[] disk = new byte[image.length];
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(vm.disk().toFile(), "r")) {
            f.readFully(disk);
        }
        assertArrayEquals("the disk holds the image, byte for byte", image, disk);
        String events = events(api, systemId);
        for (String event : List.of("curtin start cmd-install: curtin command install",
                "curtin finish cmd-install: curtin command install (SUCCESS)",
                "cloudinit finish modules-final: running modules for final (SUCCESS)")) {
            assertTrue("the events list " + event + ": " + events, events.contains(event));
        }
    }

    private static String events(Api api, String systemId) throws Exception {
        return api.get("/MAAS/api/2.0/events/?op=query&id=" + systemId + "&level=DEBUG&limit=100").body();
    }

    /** A top-level string (or literal) field of a JSON object, "" when absent. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\s]+)").matcher(json);
        if (!m.find()) {
            return "";
        }
        return m.group(2) != null ? m.group(2).replace("\\\"", "\"") : m.group(1);
    }

    // ---- timings

    private static void stage(String name, long since) {
        System.out.println(String.format("realboot %-58s %6.1f s", name, (System.nanoTime() - since) / 1e9));
    }

    /** Seconds since power on of each stage, from the serial console; "API" is the status seen through the API. */
    private void stages(String label, QemuMachine vm, double powerOnAfterDeploy, double apiSeconds, String expected) {
        Map<String, Pattern> marks = new LinkedHashMap<>();
        marks.put("firmware to boot config", Pattern.compile("Booting under Metalforge direction"));
        marks.put("kernel booted (/init)", Pattern.compile("MF init ephemeral"));
        marks.put("preseed read", Pattern.compile("MF preseed"));
        marks.put("image written", Pattern.compile("MF image written|MF failed"));
        marks.put("netboot off", Pattern.compile("MF netboot off"));
        marks.put("reset: qemu started again (cold boot)", Pattern.compile("the guest reset the machine"));
        marks.put("local boot (the disk's bootloader)", Pattern.compile("Booting the deployed image"));
        marks.put("installed system's user-data", Pattern.compile("MF user-data"));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("realboot %s: deploy call to power on %.1f s; since power on:", label,
                powerOnAfterDeploy));
        double previous = 0;
        for (Map.Entry<String, Pattern> e : marks.entrySet()) {
            double t = vm.firstLine(e.getValue(), -1);
            if (t >= 0) {
                lines.add(String.format("realboot   %-40s %6.1f s (+%.1f)", e.getKey(), t, t - previous));
                previous = t;
            }
        }
        lines.add(String.format("realboot   %-40s %6.1f s (since deploy)", expected + " seen through the API",
                apiSeconds));
        lines.forEach(System.out::println);
    }
}
