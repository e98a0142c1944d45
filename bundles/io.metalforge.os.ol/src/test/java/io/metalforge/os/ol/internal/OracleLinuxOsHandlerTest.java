package io.metalforge.os.ol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class OracleLinuxOsHandlerTest {

    private final OracleLinuxOsHandler h = new OracleLinuxOsHandler();

    @Test
    void factsAndReleases() {
        assertEquals("ol", h.name());
        assertEquals("Oracle Linux", h.title());
        assertEquals("ol9", h.defaultRelease());
        assertEquals("Oracle Linux 9", h.releaseTitle("ol9"));
        assertEquals("Oracle Linux 8.10", h.releaseTitle("ol8.10"));
        assertTrue(h.isReleaseSupported("ol8"));
        assertFalse(h.isReleaseSupported("oracle"));
        assertEquals(Optional.of("txz"), h.curtinSourceType("root-txz"));
        assertEquals(Optional.empty(), h.curtinSourceType("squashfs"));
    }
}
