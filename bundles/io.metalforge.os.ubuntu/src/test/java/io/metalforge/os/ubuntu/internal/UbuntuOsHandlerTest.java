package io.metalforge.os.ubuntu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.metalforge.api.os.BootPurpose;

class UbuntuOsHandlerTest {

    private static UbuntuOsHandler on(String day) {
        return new UbuntuOsHandler(UbuntuReleaseTable.shipped(),
                Clock.fixed(Instant.parse(day + "T12:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void factsOfTheFamily() {
        UbuntuOsHandler h = on("2026-11-26");
        assertEquals("ubuntu", h.name());
        assertEquals("Ubuntu", h.title());
        assertEquals("noble", h.defaultRelease());
        assertEquals(Set.of(BootPurpose.COMMISSIONING, BootPurpose.INSTALL, BootPurpose.XINSTALL,
                BootPurpose.DISKLESS), h.purposes());
    }

    @Test
    void releasesComeFromTheTable() {
        UbuntuOsHandler h = on("2026-11-26");
        assertEquals("Ubuntu 24.04 LTS \"Noble Numbat\"", h.releaseTitle("noble"));
        assertEquals("Ubuntu 22.04 LTS \"Jammy Jellyfish\"", h.releaseTitle("jammy"));
        assertEquals("warty", h.releaseTitle("warty"));
        assertTrue(h.isReleaseSupported("bionic"));
        assertFalse(h.isReleaseSupported("warty"));
        assertFalse(h.isReleaseSupported(null));
        assertEquals(Optional.of("18.04"), h.releaseVersion("bionic"));
        assertEquals(Optional.of("17.10"), h.releaseVersion("artful"));
        assertTrue(h.supportedReleases().containsAll(List.of("xenial", "focal", "noble", "resolute")));
    }

    @Test
    void commissioningIsEsmLtsExceptXenialNewestFirst() {
        assertEquals(List.of("resolute", "noble", "jammy", "focal", "bionic"),
                on("2026-11-26").commissioningReleases());
        // bionic's ESM ends 2028-04-26
        assertEquals(List.of("resolute", "noble", "jammy", "focal"), on("2028-05-01").commissioningReleases());
        assertEquals("noble", on("2026-11-26").defaultCommissioningRelease());
    }

    @Test
    void filetypesAreTarballsAndSquashfs() {
        UbuntuOsHandler h = on("2026-11-26");
        assertEquals(Optional.of("squashfs"), h.curtinSourceType("squashfs"));
        assertEquals(Optional.of("tgz"), h.curtinSourceType("root-tgz"));
        assertEquals(Optional.of("txz"), h.curtinSourceType("root.txz"));
        assertEquals(Optional.empty(), h.curtinSourceType("root-dd.xz"));
        assertEquals(Optional.empty(), h.curtinSourceType(null));
    }

    @Test
    void malformedTableIsRejectedWithTheLine() {
        String csv = "version,codename,series,created,release,eol,eol_esm\n24.04 LTS,Noble,noble,2023-10-12\n";
        IOException e = assertThrows(IOException.class,
                () -> UbuntuReleaseTable.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
    }
}
