package io.metalforge.boot.ipxe.internal;

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
import io.metalforge.api.boot.BootRequest;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.boot.internal.BootFixture;

class IpxeBootMethodTest {

    @TempDir
    Path dir;
    BootFixture boot;
    final IpxeBootMethod method = new IpxeBootMethod();

    @BeforeEach
    void setUp() throws Exception {
        boot = new BootFixture(dir, "192.0.2.1:5248").method(method);
        boot.image("ubuntu/noble", "amd64/ga-24.04", "stable", Map.of("boot-kernel", new byte[] { 1 }, "boot-initrd",
                new byte[] { 2 }, "squashfs", new byte[] { 3 }));
    }

    @AfterEach
    void tearDown() {
        boot.close();
    }

    String render(String path) throws Exception {
        BootFile f = boot.service.resolve(path, BootProtocol.HTTP, "192.0.2.50", "192.0.2.1").orElseThrow();
        try (ReadableByteChannel ch = f.open(0)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // all of it
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void matchesMaasNames() {
        assertEquals(BootRequest.Kind.PRELOADER, method.match("ipxe.cfg", BootProtocol.HTTP).orElseThrow().kind());
        BootRequest mac = method.match("ipxe.cfg-52:54:00:AB:cd:ef", BootProtocol.HTTP).orElseThrow();
        assertEquals("52:54:00:ab:cd:ef", mac.mac());
        assertEquals("amd64", method.match("ipxe.cfg-default-amd64", BootProtocol.HTTP).orElseThrow().arch());
        assertEquals(Optional.empty(), method.match("ipxe.cfg-52:54:00", BootProtocol.HTTP));
        assertEquals(Optional.empty(), method.match("pxelinux.cfg/default", BootProtocol.HTTP));
    }

    @Test
    void rendersEachPurpose() throws Exception {
        boot.targets.put(new BootTarget("m1", "node1", "52:54:00:ab:cd:ef", "amd64/generic", BootIntent.XINSTALL,
                "ubuntu", "noble", ""));
        String install = render("ipxe.cfg-52:54:00:ab:cd:ef");
        assertTrue(install.matches("(?s)#!ipxe\n.*kernel http://192\\.0\\.2\\.1:5248/images/[0-9a-f]{7}/ubuntu/amd64/"
                + "ga-24\\.04/noble/stable/boot-kernel\nimgargs boot-kernel nomodeset .* BOOTIF=01-\\$\\{mac:hexhyp}\n"
                + "initrd http://.*/boot-initrd\nboot\n"), install);
        boot.targets.put(new BootTarget("m1", "node1", "52:54:00:ab:cd:ef", "amd64/generic", BootIntent.LOCAL,
                "ubuntu", "noble", ""));
        assertTrue(render("ipxe.cfg-52:54:00:ab:cd:ef").contains("sanboot --no-describe --drive 0x80 ||\n"));
        boot.targets.put(new BootTarget("m1", "node1", "52:54:00:ab:cd:ef", "amd64/generic", BootIntent.POWEROFF,
                "ubuntu", "noble", ""));
        assertTrue(render("ipxe.cfg-52:54:00:ab:cd:ef").contains("poweroff"));
        assertTrue(render("ipxe.cfg").contains("chain http://192.0.2.1:5248/ipxe.cfg-default-amd64\n"));
        assertTrue(render("ipxe.cfg-default-amd64").contains("enlist-preseed"));
    }
}
