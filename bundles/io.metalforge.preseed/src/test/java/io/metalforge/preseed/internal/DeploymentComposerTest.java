package io.metalforge.preseed.internal;

import static io.metalforge.preseed.internal.Fixtures.image;
import static io.metalforge.preseed.internal.Fixtures.settings;
import static io.metalforge.preseed.internal.Fixtures.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.ConfigDocument;
import io.metalforge.api.deploy.ConfigDocument.Kind;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.platform.ExtensionNotInstalledException;

class DeploymentComposerTest {

    private final TestOsRegistry registry = TestOsRegistry.distribution();
    private final DeploymentComposerImpl composer = new DeploymentComposerImpl(registry, (Path) null);

    private static List<String> names(DeploymentConfig c) {
        return c.documents().stream().map(ConfigDocument::name).toList();
    }

    private static Map<String, Object> doc(DeploymentConfig c, String name) throws Exception {
        return Yaml.read(c.documents().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().content());
    }

    @Test
    void ubuntuDocumentsComeInCurtinMergeOrder() {
        DeploySettings verbose = new DeploySettings("http://10.0.0.2:5240/MAAS/", "10.0.0.3", "c", "t", "s", null,
                null, null, false, true, true, null);
        DeploymentConfig c = composer.compose(simple("amd64", BootMethod.UEFI), image("ubuntu", "noble", "squashfs",
                ""), verbose);
        assertEquals(List.of("storage", "apt", "reporting", "network", "kernel", "verbosity", "cloudconfig",
                "kernel-crash-dumps", "main", "cloud-config-installed", "cloud-config-ephemeral",
                "cloud-config-debconf", "netplan"), names(c));
        assertEquals("cp:///media/root-ro", c.sourceUrl());
        assertEquals("ubuntu", c.ephemeralOs());
        assertEquals("noble", c.ephemeralRelease());
        assertEquals(2, c.networkVersion());
        assertTrue(c.documents(Kind.CLOUD_CONFIG).stream().allMatch(d -> d.content().startsWith("#cloud-config\n")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void nonUbuntuHasNoAptNoKernelAndNetworkV1() throws Exception {
        DeploymentConfig c = composer.compose(simple("amd64", BootMethod.BIOS), image("centos", "centos70",
                "root-tgz", ""), settings());
        assertEquals(List.of("storage", "reporting", "network", "cloudconfig", "kernel-crash-dumps", "main",
                "cloud-config-installed", "cloud-config-ephemeral", "cloud-config-debconf"), names(c));
        assertEquals(1, c.networkVersion());
        assertEquals("http://10.0.0.3:5248/images/abcdef0/centos/amd64/generic/centos70/stable/root-tgz",
                c.sourceUrl());
        assertEquals("noble", c.ephemeralRelease());
        Map<String, Object> main = doc(c, "main");
        // the centos template's xfs workaround for centos70 only
        assertTrue(((Map<String, Object>) main.get("early_commands")).containsKey("centos70_xfs_lp1958433"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDiskImageNeedsNo3GibRootButAFileSystemImageDoes() throws Exception {
        // curtin writes a dd-* image whole onto the boot disk: a 64 MiB disk is enough for the config (MAAS sends the
        // layout for dd images only to name that disk); the image itself may still not fit, which the install reports
        Machine small = Fixtures.machine("amd64", BootMethod.BIOS, null, List.of(Fixtures.dhcpNic()),
                new Disk("vda", null, null, "/dev/vda", 64L << 20));
        DeploymentConfig dd = composer.compose(small, image("custom", "tiny", "root-dd.gz", "ubuntu/noble"), settings());
        assertTrue(dd.sourceUrl().startsWith("dd-gz:"), dd.sourceUrl());
        List<Map<String, Object>> config = (List<Map<String, Object>>) ((Map<String, Object>) doc(dd, "storage")
                .get("storage")).get("config");
        Map<String, Object> vda = config.stream().filter(e -> "vda".equals(e.get("id"))).findFirst().orElseThrow();
        assertEquals("/dev/vda", vda.get("path"));
        assertEquals(true, vda.get("grub_device"), "the disk curtin writes the image to");
        assertEquals("58720256B", config.stream().filter(e -> "vda-part2".equals(e.get("id"))).findFirst()
                .orElseThrow().get("size"), "root is the rest: 64 MiB less 4 (offset), 1 (bios_grub), 1 (end), aligned");
        for (String ddtype : List.of("root-dd.xz", "root-dd.raw", "root-dd")) {
            String source = composer.compose(small, image("custom", "tiny", ddtype, "ubuntu/noble"), settings())
                    .sourceUrl();
            assertTrue(source.startsWith("dd-"), source);
        }
        // a file system image is unpacked into root: 3 GiB at least, and a disk with no 4 MiB for root is refused
        IllegalArgumentException tgz = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(small, image("custom", "tiny", "root-tgz", "ubuntu/noble"), settings()));
        assertEquals("disk vda (64 MiB) has 56 MiB left for root, less than the 3 GiB minimum", tgz.getMessage());
        Machine tiny = Fixtures.machine("amd64", BootMethod.BIOS, null, List.of(Fixtures.dhcpNic()),
                new Disk("vda", null, null, "/dev/vda", 8L << 20));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(tiny, image("custom", "tiny", "root-dd.gz", "ubuntu/noble"), settings()));
        assertEquals("disk vda (8 MiB) has 0 MiB left for root, less than the 4 MiB minimum", none.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void customImageWithUbuntuBaseGetsBothValidationsCentosBaseOnlyCloudInit() throws Exception {
        DeploymentConfig ubuntuBase = composer.compose(simple("amd64", BootMethod.BIOS),
                image("custom", "golden", "root-dd.xz", "ubuntu/jammy"), settings());
        Map<String, Object> late = (Map<String, Object>) doc(ubuntuBase, "main").get("late_commands");
        assertEquals(List.of("maas", "98-validate-custom-image-has-cloud-init",
                "99-validate-custom-image-has-netplan"), List.copyOf(late.keySet()));
        assertEquals(List.of("curtin", "in-target", "--", "bash", "-c", "cloud-init --version || (echo \"cloud-init "
                + "not detected, MAAS will not be able to configure this machine properly\" && exit 1)"),
                late.get("98-validate-custom-image-has-cloud-init"));
        assertEquals(List.of("curtin", "in-target", "--", "bash", "-c", "netplan info || (echo \"netplan not "
                + "detected, MAAS will not be able to configure this machine properly\" && exit 1)"),
                late.get("99-validate-custom-image-has-netplan"));
        assertEquals("jammy", ubuntuBase.ephemeralRelease());
        assertEquals(2, ubuntuBase.networkVersion());
        assertTrue(ubuntuBase.sourceUrl().startsWith("dd-xz:http://10.0.0.3:5248/images/abcdef0/custom/amd64/"));
        assertFalse(names(ubuntuBase).contains("kernel"), "custom images keep their own kernel");
        assertTrue(names(ubuntuBase).contains("apt"));

        DeploymentConfig centosBase = composer.compose(simple("amd64", BootMethod.BIOS),
                image("custom", "golden-el8", "root-tgz", "centos/8"), settings());
        Map<String, Object> late2 = (Map<String, Object>) doc(centosBase, "main").get("late_commands");
        assertEquals(List.of("maas", "98-validate-custom-image-has-cloud-init"), List.copyOf(late2.keySet()));
        assertEquals("noble", centosBase.ephemeralRelease(), "a non-Ubuntu base boots the commissioning release");
        assertEquals(1, centosBase.networkVersion());
        assertFalse(names(centosBase).contains("apt"));

        // not custom: no validation at all
        Map<String, Object> late3 = (Map<String, Object>) doc(composer.compose(simple("amd64", BootMethod.BIOS),
                image("ubuntu", "jammy", "root-tgz", ""), settings()), "main").get("late_commands");
        assertEquals(List.of("maas"), List.copyOf(late3.keySet()));
    }

    @Test
    void networkVersionFollowsTheBaseRelease() {
        Machine m = Fixtures.machine("amd64", BootMethod.BIOS, null, Fixtures.twoGateways(), Fixtures.disk("sda", 50));
        DeploymentConfig bionic = composer.compose(m, image("ubuntu", "bionic", "squashfs", ""), settings());
        String netplan = bionic.documents(Kind.NETPLAN).get(0).content();
        assertTrue(netplan.contains("routing-policy"), netplan);
        assertTrue(netplan.contains("table: 1"), netplan);
        assertTrue(netplan.contains("priority: 1000"), netplan);
        assertTrue(netplan.contains("table: 254"), netplan);

        DeploymentConfig xenial = composer.compose(m, image("ubuntu", "xenial", "squashfs", ""), settings());
        assertEquals(2, xenial.networkVersion());
        assertFalse(xenial.documents(Kind.NETPLAN).get(0).content().contains("routing-policy"));

        DeploySettings v1 = new DeploySettings("http://10.0.0.2:5240/MAAS/", "10.0.0.3", "c", "t", "s", null, null,
                null, true, false, false, null);
        assertEquals(1, composer.compose(m, image("ubuntu", "noble", "squashfs", ""), v1).networkVersion());
        DeploymentConfig suse = composer.compose(m, image("suse", "sles15.4", "root-tgz", ""), settings());
        assertEquals(1, suse.networkVersion());
        assertEquals(1, suse.warnings().size(), "suse gets the unsupported-network warning");
    }

    @Test
    void badSelectionsGetClearErrors() {
        Machine m = simple("amd64", BootMethod.BIOS);
        IllegalArgumentException dd = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("centos", "centos8", "root-dd.xz", ""), settings()));
        assertEquals("Error generating the URL of curtin's image file. No image could be found for the given "
                + "selection: os=centos, arch=amd64, subarch=generic, series=centos8, purpose=xinstall.",
                dd.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("ubuntu", "warty", "squashfs", ""), settings()));
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("windows", "win2022", "root-dd", ""), settings()));
        assertEquals("windows/win2022 needs a licence key", noKey.getMessage());
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("windows", "win2022", "root-dd", ""),
                        settings().withLicenceKey("SECRET-KEY")));
        assertFalse(badKey.getMessage().contains("SECRET-KEY"), "a licence key is never echoed");
        IllegalArgumentException windowsBase = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("custom", "img", "root-tgz", "windows/win2022"), settings()));
        assertEquals("custom image 'img': Windows cannot be the base of a custom image; bases: centos, ol, rhel, "
                + "suse, ubuntu", windowsBase.getMessage());
        IllegalArgumentException noRelease = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("custom", "img", "root-tgz", "ubuntu"), settings()));
        assertEquals("custom image 'img': base image 'ubuntu' is not of the form <os>/<release>",
                noRelease.getMessage());
        IllegalArgumentException bogus = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, image("custom", "img", "root-tgz", "ubuntu/bogus"), settings()));
        assertTrue(bogus.getMessage().startsWith("custom image 'img': 'bogus' is not a Ubuntu release; valid "
                + "releases: precise, trusty, "), bogus.getMessage());
        assertTrue(bogus.getMessage().contains(", noble, "), bogus.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> composer.compose(m, new DeployImage("ubuntu", "noble", "arm64", null, "squashfs", null, null,
                        null, null), settings()));
        ExtensionNotInstalledException gone = assertThrows(ExtensionNotInstalledException.class,
                () -> composer.compose(m, image("gentoo", "2024", "root-tgz", ""), settings()));
        assertEquals("OS handler 'gentoo' is not installed; installed: " + TestOsRegistry.INSTALLED, gone.getMessage());
    }

    @Test
    void windowsGetsItsLicenceKeyInTheMainDocument() throws Exception {
        DeploymentConfig c = composer.compose(simple("amd64", BootMethod.UEFI), image("windows", "win2019", "root-dd",
                ""), settings().withLicenceKey("ABCDE-12345-FGHIJ-67890-KLMNO"));
        assertEquals("ABCDE-12345-FGHIJ-67890-KLMNO", doc(c, "main").get("license_key"));
        assertTrue(c.sourceUrl().startsWith("dd-tgz:http://"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void operatorTemplatesFollowTheLookupOrder(@TempDir Path dir) throws Exception {
        DeploymentComposerImpl withOverrides = new DeploymentComposerImpl(registry, new Templates(dir, 0));
        Machine m = simple("amd64", BootMethod.BIOS);
        DeployImage noble = image("ubuntu", "noble", "squashfs", "");
        Files.writeString(dir.resolve("curtin_userdata"), "late_commands:\n  site: [echo, generic]\n"
                + "power_state: {mode: poweroff}\n");
        Map<String, Object> main = doc(withOverrides.compose(m, noble, settings()), "main");
        assertEquals(List.of("echo", "generic"), ((Map<String, Object>) main.get("late_commands")).get("site"));
        assertFalse(main.containsKey("power_state"), "the region owns power_state");
        assertTrue(((Map<String, Object>) main.get("late_commands")).isEmpty() == false);

        Files.writeString(dir.resolve("curtin_userdata_ubuntu_amd64"), "late_commands:\n  site: [echo, \"${node.hostname}"
                + " ${osystem}/${release}\"]\n");
        main = doc(withOverrides.compose(m, noble, settings()), "main");
        assertEquals(List.of("echo", "web01 ubuntu/noble"),
                ((Map<String, Object>) main.get("late_commands")).get("site"));

        // the variant without the OS also applies to Ubuntu, after the one with it
        Files.writeString(dir.resolve("curtin_userdata_amd64_generic_noble"), "late_commands:\n  site: [echo, nos]\n");
        main = doc(withOverrides.compose(m, noble, settings()), "main");
        assertEquals(List.of("echo", "nos"), ((Map<String, Object>) main.get("late_commands")).get("site"));

        // a custom image uses its own OS name for the lookup, and the base OS in the template
        Files.writeString(dir.resolve("curtin_userdata_custom"), "late_commands:\n  site: [echo, \"${osystem}\"]\n");
        main = doc(withOverrides.compose(m, image("custom", "gold", "root-tgz", "centos/8"), settings()), "main");
        Map<String, Object> late = (Map<String, Object>) main.get("late_commands");
        assertEquals(List.of("echo", "centos"), late.get("site"));
        assertTrue(late.containsKey("98-validate-custom-image-has-cloud-init"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTemplateFolderIsMadeSoThatLaterTemplatesAreFound(@TempDir Path data) throws Exception {
        Path folder = data.resolve("preseeds");
        DeploymentComposerImpl c = new DeploymentComposerImpl(registry, new Templates(folder, 0));
        assertTrue(Files.isDirectory(folder));
        Files.writeString(folder.resolve("curtin_userdata_centos"), "late_commands:\n  site: [echo, later]\n");
        Map<String, Object> main = doc(c.compose(simple("amd64", BootMethod.BIOS), image("centos", "centos8",
                "root-tgz", ""), settings()), "main");
        assertEquals(List.of("echo", "later"), ((Map<String, Object>) main.get("late_commands")).get("site"));
    }

    @Test
    void brokenOrUnsafeTemplatesFailWithTheTemplateName(@TempDir Path dir) throws Exception {
        DeploymentComposerImpl withOverrides = new DeploymentComposerImpl(registry, new Templates(dir, 0));
        Machine m = simple("amd64", BootMethod.BIOS);
        Files.writeString(dir.resolve("curtin_userdata_ubuntu"), "late_commands: ${no_such_variable}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withOverrides.compose(m, image("ubuntu", "noble", "squashfs", ""), settings()));
        assertTrue(e.getMessage().startsWith("template curtin_userdata_ubuntu:"), e.getMessage());

        Files.writeString(dir.resolve("curtin_userdata_ubuntu"),
                "<#assign ex = \"freemarker.template.utility.Execute\"?new()>x: ${ex(\"id\")}\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> withOverrides.compose(m, image("ubuntu", "noble", "squashfs", ""), settings()));
        assertTrue(e.getMessage().startsWith("template curtin_userdata_ubuntu:"), e.getMessage());

        Files.writeString(dir.resolve("curtin_userdata_ubuntu"), "- just\n- a list\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> withOverrides.compose(m, image("ubuntu", "noble", "squashfs", ""), settings()));
        assertTrue(e.getMessage().contains("did not render to a YAML mapping"), e.getMessage());
    }

    @Test
    void templateNamesStayInsideTheFolder() {
        assertEquals(List.of("curtin_userdata_ubuntu_amd64_generic_noble_web01", "curtin_userdata_amd64_generic_noble_web01",
                "curtin_userdata_ubuntu_amd64_generic_noble", "curtin_userdata_amd64_generic_noble",
                "curtin_userdata_ubuntu_amd64_generic", "curtin_userdata_amd64_generic", "curtin_userdata_ubuntu_amd64",
                "curtin_userdata_amd64", "curtin_userdata_ubuntu", "curtin_userdata", "generic"),
                TemplateLookup.names("ubuntu", "amd64", "generic", "noble", "web01", "ubuntu"));
        assertEquals(List.of("curtin_userdata_centos_amd64_generic_centos70", "curtin_userdata_centos_amd64_generic",
                "curtin_userdata_centos_amd64", "curtin_userdata_centos", "curtin_userdata", "generic"),
                TemplateLookup.names("centos", "amd64", "generic", "centos70", "../../etc/passwd", "ubuntu"));
    }

    @Test
    void identitiesThatWouldReshapeUrlsOrDocumentsAreRejected() {
        Machine good = simple("amd64", BootMethod.BIOS);
        for (Machine bad : List.of(
                new Machine("../x", "web01", "maas", "amd64", null, null, good.interfaces(), null, good.disks(), null,
                        null, null),
                new Machine("abc", "web 01", "maas", "amd64", null, null, good.interfaces(), null, good.disks(), null,
                        null, null),
                new Machine("abc", "web01", "maas\nx: y", "amd64", null, null, good.interfaces(), null, good.disks(),
                        null, null, null),
                new Machine("abc", "web01", "maas", "amd64", "../../x", null, good.interfaces(), null, good.disks(),
                        null, null, null),
                new Machine("abc", "web01", "maas", "amd64", null, null, good.interfaces(), null, good.disks(), null,
                        List.of("dns.example"), null))) {
            assertThrows(IllegalArgumentException.class,
                    () -> composer.compose(bad, image("ubuntu", "noble", "squashfs", ""), settings()));
        }
    }

    @Test
    void swapFollowsTheLayoutExceptForCustomImages() throws Exception {
        Machine noSwap = Fixtures.machine("amd64", BootMethod.BIOS, new io.metalforge.api.deploy.StorageLayout(
                io.metalforge.api.deploy.LayoutType.FLAT, null, 0, 0, List.of(), 0L), List.of(Fixtures.dhcpNic()),
                Fixtures.disk("sda", 50));
        DeploymentConfig c = composer.compose(noSwap, image("ubuntu", "noble", "squashfs", ""), settings());
        assertEquals(List.of("storage", "apt", "reporting", "network", "swap", "kernel"), names(c).subList(0, 6));
        assertEquals(Map.of("size", "0B"), doc(c, "swap").get("swap"));
        assertFalse(names(composer.compose(noSwap, image("custom", "gold", "root-tgz", "ubuntu/noble"), settings()))
                .contains("swap"));
        assertFalse(names(composer.compose(simple("amd64", BootMethod.BIOS), image("ubuntu", "noble", "squashfs",
                ""), settings())).contains("swap"), "unset: the installer decides");
        assertThrows(IllegalArgumentException.class, () -> new io.metalforge.api.deploy.StorageLayout(
                io.metalforge.api.deploy.LayoutType.FLAT, null, 0, 0, List.of(), -1L));
    }

    @Test
    void settingsNeverPrintTheTokenSecret() {
        assertFalse(settings().toString().contains("tsecret"));
    }
}
