package io.metalforge.os.custom.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.metalforge.api.os.BootPurpose;

class CustomOsHandlerTest {

    private final CustomOsHandler h = new CustomOsHandler();

    @Test
    void facts() {
        assertEquals("custom", h.name());
        assertEquals("Custom", h.title());
        assertEquals("", h.defaultRelease());
        assertEquals(Set.of(BootPurpose.XINSTALL), h.purposes());
        assertEquals("rocky9-cis", h.releaseTitle("rocky9-cis"));
    }

    @Test
    void acceptsEveryImageKind() {
        assertEquals(Optional.of("tgz"), h.curtinSourceType("root-tgz"));
        assertEquals(Optional.of("dd-raw"), h.curtinSourceType("root-dd.raw"));
        assertEquals(Optional.of("dd-tbz"), h.curtinSourceType("root-dd.tar.bz2"));
        assertEquals(Optional.of("squashfs"), h.curtinSourceType("squashfs"));
        assertEquals(Optional.empty(), h.curtinSourceType("installer.bin"));
    }

    @Test
    void imageNamesAreValidated() {
        assertTrue(h.isReleaseSupported("rocky9-cis"));
        assertTrue(h.isReleaseSupported("debian12.5"));
        assertFalse(h.isReleaseSupported(""));
        assertFalse(h.isReleaseSupported("../etc"));
        assertFalse(h.isReleaseSupported("has space"));
        assertFalse(h.isReleaseSupported("x".repeat(64)));
    }
}
