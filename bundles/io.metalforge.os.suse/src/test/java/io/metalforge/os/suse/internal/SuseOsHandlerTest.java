package io.metalforge.os.suse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SuseOsHandlerTest {

    private final SuseOsHandler h = new SuseOsHandler();

    @Test
    void factsAndReleases() {
        assertEquals("suse", h.name());
        assertEquals("SUSE", h.title());
        assertEquals("tumbleweed", h.defaultRelease());
        assertEquals("openSUSE Tumbleweed", h.releaseTitle("tumbleweed"));
        assertEquals("SUSE Linux Enterprise Server 15.4", h.releaseTitle("sles15.4"));
        assertEquals("openSUSE Leap 15", h.releaseTitle("opensuse15"));
        assertEquals("SLES for SAP", h.releaseTitle("sles15-SLES for SAP"));
        assertTrue(h.isReleaseSupported("sles12"));
        assertFalse(h.isReleaseSupported("suse"));
        assertEquals(Optional.of("tbz"), h.curtinSourceType("root-tbz"));
        assertEquals(Optional.empty(), h.curtinSourceType("root-dd"));
    }
}
