package io.metalforge.boot.pxelinux.internal;

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

class PxelinuxBootMethodTest {

    @TempDir
    Path dir;
    BootFixture boot;
    final PxelinuxBootMethod method = new PxelinuxBootMethod();

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

    Optional<String> render(String path) throws Exception {
        Optional<BootFile> f = boot.service.resolve(path, BootProtocol.HTTP, "192.0.2.50", "192.0.2.1");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        try (ReadableByteChannel ch = f.get().open(0)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.get().size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // all of it
            }
            return Optional.of(new String(b.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void matchesWhatLpxelinuxAsksFor() {
        assertEquals("52:54:00:12:34:56", method.match("pxelinux.cfg/01-52-54-00-12-34-56", BootProtocol.HTTP)
                .orElseThrow().mac());
        BootRequest d = method.match("pxelinux.cfg/default.amd64-generic", BootProtocol.TFTP).orElseThrow();
        assertEquals(BootRequest.Kind.DEFAULT, d.kind());
        assertEquals("amd64", d.arch());
        assertEquals("generic", d.subarch());
        assertEquals(BootRequest.Kind.DEFAULT, method.match("pxelinux.cfg/default", BootProtocol.HTTP).orElseThrow()
                .kind());
        // the UUID and hex-IP names are not answered, so lpxelinux goes on to the next name
        assertEquals(Optional.empty(), method.match("pxelinux.cfg/a8b4c3e2-1c1f-4b6c-9d3e-0a1b2c3d4e5f",
                BootProtocol.HTTP));
        assertEquals(Optional.empty(), method.match("pxelinux.cfg/0A00020F", BootProtocol.HTTP));
    }

    @Test
    void rendersInstallAndLocal() throws Exception {
        boot.targets.put(new BootTarget("m1", "node1", "52:54:00:12:34:56", "amd64/generic", BootIntent.XINSTALL,
                "ubuntu", "noble", ""));
        String install = render("pxelinux.cfg/01-52-54-00-12-34-56").orElseThrow();
        assertTrue(install.startsWith("DEFAULT execute\n\nLABEL execute\n"), install);
        assertTrue(install.contains("  APPEND nomodeset root=squash:http://192.0.2.1:5248/images/"), install);
        assertTrue(install.endsWith("  IPAPPEND 2\n"), install);
        boot.targets.put(new BootTarget("m1", "node1", "52:54:00:12:34:56", "amd64/generic", BootIntent.LOCAL,
                "ubuntu", "noble", ""));
        assertTrue(render("pxelinux.cfg/01-52-54-00-12-34-56").orElseThrow().contains("KERNEL chain.c32\n  APPEND hd0"));
        boot.targets.put(new BootTarget("m2", "node2", "52:54:00:12:34:57", "ppc64el/generic", BootIntent.LOCAL,
                "ubuntu", "noble", ""));
        assertTrue(render("pxelinux.cfg/01-52-54-00-12-34-57").orElseThrow().contains("LOCALBOOT 0"));
        assertEquals(Optional.empty(), render("pxelinux.cfg/01-52-54-00-99-99-99"));
    }
}
