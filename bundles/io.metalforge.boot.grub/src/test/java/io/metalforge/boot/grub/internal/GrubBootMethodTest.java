package io.metalforge.boot.grub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.boot.internal.BootFixture;

class GrubBootMethodTest {

    @TempDir
    Path dir;
    BootFixture boot;
    final GrubBootMethod method = new GrubBootMethod();

    @BeforeEach
    void setUp() throws Exception {
        boot = new BootFixture(dir, "192.0.2.1:5248").method(method);
        boot.image("ubuntu/noble", "amd64/ga-24.04", "stable", Map.of("boot-kernel", new byte[] { 1 }, "boot-initrd",
                new byte[] { 2 }, "squashfs", new byte[] { 3 }));
        boot.image("ubuntu/noble", "arm64/generic", "stable", Map.of("boot-kernel", new byte[] { 4 }, "boot-initrd",
                new byte[] { 5 }, "squashfs", new byte[] { 6 }));
    }

    @AfterEach
    void tearDown() {
        boot.close();
    }

    String render(String path, BootProtocol protocol) throws Exception {
        BootFile f = boot.service.resolve(path, protocol, "192.0.2.50", "192.0.2.1").orElseThrow();
        try (ReadableByteChannel ch = f.open(0)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // all of it
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void matchesGrubNamesAndCpuNames() {
        assertEquals("52:54:00:12:34:56", method.match("grub/grub.cfg-52-54-00-12-34-56", BootProtocol.TFTP)
                .orElseThrow().mac());
        assertEquals("amd64", method.match("grub/grub.cfg-default-x86_64", BootProtocol.TFTP).orElseThrow().arch());
        assertEquals("arm64", method.match("grub/grub.cfg-default-arm64", BootProtocol.HTTP).orElseThrow().arch());
        assertEquals(Optional.empty(), method.match("grub/grub.cfg-default-sparc", BootProtocol.HTTP));
    }

    @Test
    void kernelPathDependsOnHowGrubAskedAndBracesAreEscaped() throws Exception {
        boot.targets.put(new BootTarget("m1", "node1", "52:54:00:12:34:56", "amd64/generic", BootIntent.XINSTALL,
                "ubuntu", "noble", ""));
        String overTftp = render("grub/grub.cfg-52:54:00:12:34:56", BootProtocol.TFTP);
        assertTrue(overTftp.contains("    linux  (http,192.0.2.1:5248)/images/"), overTftp);
        assertTrue(overTftp.contains("cc:\\{'datasource_list': ['MAAS']\\}end_cc"), overTftp);
        assertTrue(overTftp.contains(" BOOTIF=01-${net_default_mac}\n    initrd (http,192.0.2.1:5248)/images/"),
                overTftp);
        assertTrue(render("grub/grub.cfg-52:54:00:12:34:56", BootProtocol.HTTP).contains("    linux  /images/"));
        assertTrue(render("grub/grub.cfg", BootProtocol.TFTP).contains(
                "configfile /grub/grub.cfg-${net_default_mac}\n"));
        boot.targets.put(new BootTarget("m2", "node2", "52:54:00:12:34:57", "arm64/generic", BootIntent.LOCAL,
                "ubuntu", "noble", ""));
        String arm = render("grub/grub.cfg-52:54:00:12:34:57", BootProtocol.HTTP);
        assertTrue(arm.contains("boot/bootaa64.efi") && !arm.contains("bootx64"), arm);
        GrubScriptCheck.assertValid(overTftp);
        GrubScriptCheck.assertValid(arm);
        GrubScriptCheck.assertValid(render("grub/grub.cfg", BootProtocol.TFTP));
    }
}
