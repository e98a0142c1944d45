package io.metalforge.os.rhel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RhelOsHandlerTest {

    private final RhelOsHandler h = new RhelOsHandler();

    @Test
    void facts() {
        assertEquals("rhel", h.name());
        assertEquals("Redhat Enterprise Linux", h.title());
        assertEquals("rhel7", h.defaultRelease());
    }

    @Test
    void releases() {
        assertEquals("Red Hat Enterprise Linux 8.8", h.releaseTitle("rhel8.8"));
        assertEquals("Red Hat Enterprise Linux 10", h.releaseTitle("rhel10"));
        assertEquals("Red Hat Enterprise Linux 9", h.releaseTitle("9"));
        assertEquals("RHEL 9 hardened", h.releaseTitle("rhel9-RHEL 9 hardened"));
        assertTrue(h.isReleaseSupported("rhel7"));
        assertFalse(h.isReleaseSupported("centos7"));
        assertFalse(h.isReleaseSupported("rhel"));
        assertEquals(Optional.of("tgz"), h.curtinSourceType("root.tgz"));
        assertEquals(Optional.empty(), h.curtinSourceType("root-dd"));
    }
}
