package io.metalforge.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.boot.BootParameters;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequest;
import io.metalforge.api.boot.BootRequestRecord;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.boot.BootTemplates;
import io.metalforge.api.catalog.BootResourceFile;

class BootServiceTest {

    /**
     * A boot method written the way a vendor would: it answers "vendor/<mac>" with its own template, shipped in this
     * test's class path under templates/boot/vendor/.
     */
    static final class VendorMethod implements BootMethod {
        private static final Pattern P = Pattern.compile("vendor/(?<mac>[0-9a-f:]{17})|vendor/default");

        @Override
        public String name() {
            return "vendor";
        }

        @Override
        public Optional<BootRequest> match(String path, BootProtocol protocol) {
            Matcher m = P.matcher(path);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(m.group("mac") != null
                    ? new BootRequest(name(), BootRequest.Kind.MACHINE, m.group("mac"), "", "")
                    : new BootRequest(name(), BootRequest.Kind.DEFAULT, "", "", ""));
        }

        @Override
        public String render(BootRequest request, BootParameters p, BootTemplates templates) {
            return templates.render(this, BootTemplates.purposeNames(p.intent().purpose(), p.arch(), p.subarch()),
                    p.values());
        }
    }

    @TempDir
    Path dir;
    BootFixture boot;
    Map<String, BootResourceFile> noble;

    @BeforeEach
    void setUp() throws Exception {
        boot = new BootFixture(dir, "10.0.2.100:5248").method(new VendorMethod());
        noble = boot.image("ubuntu/noble", "amd64/ga-24.04", "stable", Map.of("boot-kernel",
                "KERNEL".getBytes(StandardCharsets.UTF_8), "boot-initrd", "INITRD".getBytes(StandardCharsets.UTF_8),
                "squashfs", "SQUASHFS".getBytes(StandardCharsets.UTF_8)));
        boot.targets.put(new BootTarget("abc123", "node1", "52:54:00:12:34:56", "amd64/generic",
                BootIntent.XINSTALL, "ubuntu", "noble", "console=ttyS0 panic=5"));
    }

    @AfterEach
    void tearDown() {
        boot.close();
    }

    private String text(String path, BootProtocol protocol) throws IOException {
        BootFile f = boot.service.resolve(path, protocol, "10.0.2.15", "127.0.0.1").orElseThrow(
                () -> new AssertionError("not found: " + path));
        try (ReadableByteChannel ch = f.open(0)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read all
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    private boolean found(String path, BootProtocol protocol) {
        return boot.service.resolve(path, protocol, "10.0.2.15", "127.0.0.1").isPresent();
    }

    @Test
    void imagesResolveByShortShaWhateverTheRestOfThePath() throws IOException {
        BootResourceFile kernel = noble.get("boot-kernel");
        assertEquals("KERNEL", text("/images/" + kernel.filenameOnDisk() + "/ubuntu/amd64/ga-24.04/noble/stable/"
                + "boot-kernel", BootProtocol.HTTP));
        assertEquals("KERNEL", text("images/" + kernel.sha256() + "/anything", BootProtocol.HTTP));
        assertEquals(kernel.sha256(), boot.service.resolve("images/" + kernel.filenameOnDisk() + "/x",
                BootProtocol.HTTP, "c", "l").orElseThrow().sha256().orElseThrow());
        // too short, not hex, unknown
        assertTrue(!found("images/" + kernel.sha256().substring(0, 6) + "/x", BootProtocol.HTTP));
        assertTrue(!found("images/ZZZZZZZZ/x", BootProtocol.HTTP));
        assertTrue(!found("images/0000000/x", BootProtocol.HTTP) || kernel.sha256().startsWith("0000000"));
        // over TFTP an unmatched path is tried as an images/ path, as MAAS's TFTP falls back to its HTTP store
        assertEquals("KERNEL", text(kernel.filenameOnDisk() + "/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel",
                BootProtocol.TFTP));
        assertTrue(!found(kernel.filenameOnDisk() + "/x", BootProtocol.HTTP));
    }

    @Test
    void machineConfigCarriesMaasKernelCommandLineAndUnknownMacIsNotFound() throws IOException {
        String cfg = text("vendor/52:54:00:12:34:56", BootProtocol.HTTP);
        String kernel = noble.get("boot-kernel").filenameOnDisk();
        String squash = noble.get("squashfs").filenameOnDisk();
        assertTrue(cfg.contains("kernel=http://10.0.2.100:5248/images/" + kernel
                + "/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel"), cfg);
        assertTrue(cfg.contains("params=nomodeset root=squash:http://10.0.2.100:5248/images/" + squash
                + "/ubuntu/amd64/ga-24.04/noble/stable/squashfs ip=::::node1:BOOTIF:dhcp ip6=off"
                + " cc:{'datasource_list': ['MAAS']}end_cc"
                + " cloud-config-url=http://10.0.2.100:5248/MAAS/metadata/latest/by-id/abc123/?op=get_preseed"
                + " ro overlayroot=tmpfs overlayroot_cfgdisk=disabled log_host=10.0.2.100 log_port=5247"
                + " --- console=ttyS0 panic=5\n"), cfg);
        assertTrue(!found("vendor/52:54:00:99:99:99", BootProtocol.HTTP));
        // unknown machines get the enlistment config
        assertTrue(text("vendor/default", BootProtocol.HTTP).contains(
                "cloud-config-url=http://10.0.2.100:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed"));
    }

    @Test
    void localAndPoweroffNeedNoImageAndOperatorTemplatesWin() throws IOException {
        boot.targets.put(new BootTarget("abc123", "node1", "52:54:00:12:34:56", "amd64/generic", BootIntent.LOCAL,
                "ubuntu", "noble", ""));
        assertEquals("local disk for abc123\n", text("vendor/52:54:00:12:34:56", BootProtocol.HTTP));
        Path own = Files.createDirectories(dir.resolve("templates/boot/vendor")).resolve("config.local.template");
        Files.writeString(own, "operator's own local config for {{hostname}}\n");
        assertEquals("operator's own local config for node1\n", text("vendor/52:54:00:12:34:56", BootProtocol.HTTP));
        Files.writeString(own, "uses {{no_such_value}}\n");
        assertTrue(!found("vendor/52:54:00:12:34:56", BootProtocol.HTTP));
        assertTrue(boot.logLines.stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("no_such_value")),
                boot.logLines.toString());
    }

    @Test
    void withoutEphemeralImageInstallConfigIsNotFoundAndSaysWhy() {
        boot.targets.put(new BootTarget("abc123", "node1", "52:54:00:12:34:56", "amd64/generic",
                BootIntent.XINSTALL, "ubuntu", "jammy", ""));
        assertTrue(!found("vendor/52:54:00:12:34:56", BootProtocol.HTTP));
        assertTrue(boot.logLines.stream().anyMatch(l -> l.contains("No complete ephemeral image ubuntu/jammy")),
                boot.logLines.toString());
    }

    @Test
    void bootloadersListsAndTraversalIsRefused() throws IOException {
        Files.writeString(boot.bootloaders.resolve("lpxelinux.0"), "PXE");
        Files.createDirectories(boot.bootloaders.resolve("grub"));
        Files.writeString(boot.bootloaders.resolve("grub/x86_64-efi.mod"), "MOD");
        Files.writeString(dir.resolve("secret"), "SECRET");
        Files.createSymbolicLink(boot.bootloaders.resolve("escape"), dir.resolve("secret"));
        assertEquals("PXE", text("/lpxelinux.0", BootProtocol.TFTP));
        assertEquals("MOD", text("grub\\x86_64-efi.mod", BootProtocol.TFTP));
        for (String bad : List.of("../secret", "grub/../../secret", "escape", "/../../etc/passwd", "..\\secret",
                "images/../secret", "./lpxelinux.0", "grub", "grub/..", "grub/.", "grub/./x86_64-efi.mod",
                "grub//../../secret")) {
            assertTrue(!found(bad, BootProtocol.TFTP), bad);
            assertTrue(!found(bad, BootProtocol.HTTP), bad);
        }
        assertEquals("", text("grub/x86_64-efi/command.lst", BootProtocol.TFTP));
        assertEquals(List.of("escape", "grub/x86_64-efi.mod", "lpxelinux.0"), boot.service.bootloaders().operator()
                .list());
    }

    @Test
    void syncedBootloadersAreServedAfterTheOperatorsOwn() throws IOException {
        // as the image sync extracts the streams' bootloader archives: <data>/simplestreams/bootloaders/<type>/<arch>/
        Path uefi = Files.createDirectories(dir.resolve("simplestreams/bootloaders/uefi/amd64"));
        Path pxe = Files.createDirectories(dir.resolve("simplestreams/bootloaders/pxe/i386"));
        Files.createDirectories(dir.resolve("simplestreams/bootloaders/.extract-123/amd64"));
        Files.writeString(dir.resolve("simplestreams/bootloaders/.extract-123/amd64/half.efi"), "HALF");
        Files.writeString(uefi.resolve("bootx64.efi"), "SHIM");
        Files.writeString(uefi.resolve("grubx64.efi"), "GRUB");
        Files.writeString(pxe.resolve("lpxelinux.0"), "SYNCED PXE");
        assertEquals("SHIM", text("bootx64.efi", BootProtocol.TFTP));
        assertEquals("SYNCED PXE", text("lpxelinux.0", BootProtocol.HTTP));
        assertTrue(!found("half.efi", BootProtocol.TFTP));
        Files.writeString(boot.bootloaders.resolve("lpxelinux.0"), "OPERATOR PXE");
        assertEquals("OPERATOR PXE", text("lpxelinux.0", BootProtocol.TFTP));
        String shown = new BootCommand(boot.service).boot();
        assertTrue(shown.contains("uefi/amd64: 2 files\n    bootx64.efi\n    grubx64.efi\n"), shown);
    }

    @Test
    void requestsAreCountedForTheMacTheirClientAskedFor() throws IOException {
        text("vendor/52:54:00:12:34:56", BootProtocol.HTTP);
        boot.service.record(new BootRequestRecord(java.time.Instant.now(), BootProtocol.HTTP, "10.0.2.15", "",
                "images/x/boot-kernel", 200, 6));
        boot.service.record(new BootRequestRecord(java.time.Instant.now(), BootProtocol.TFTP, "10.0.2.99", "",
                "lpxelinux.0", 404, 0));
        Map<String, List<BootRequestRecord>> log = boot.service.recentRequests();
        assertEquals("images/x/boot-kernel", log.get("52:54:00:12:34:56").get(0).path());
        assertEquals("lpxelinux.0", log.get("").get(0).path());
        String shown = new BootCommand(boot.service).boot(5);
        assertTrue(shown.contains("Boot methods: vendor"), shown);
        assertTrue(shown.contains("52:54:00:12:34:56:"), shown);
        assertTrue(shown.contains("Bootloaders: none found in " + boot.bootloaders + " nor synced; PXELINUX and GRUB"
                + " machines cannot netboot"), shown);
    }
}
