package io.metalforge.os.esxi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class EsxiOsHandlerTest {

    private final EsxiOsHandler h = new EsxiOsHandler();

    @Test
    void factsAndReleases() {
        assertEquals("esxi", h.name());
        assertEquals("VMware ESXi", h.title());
        assertEquals("6.7", h.defaultRelease());
        assertEquals("VMware ESXi 6.7", h.releaseTitle("6.7"));
        assertEquals("VMware ESXi 8.0u2", h.releaseTitle("8.0u2"));
        assertTrue(h.isReleaseSupported("7.0"));
        assertFalse(h.isReleaseSupported("seven"));
        assertEquals(Optional.of("dd-gz"), h.curtinSourceType("root-dd.gz"));
        assertEquals(Optional.empty(), h.curtinSourceType("root-tgz"));
    }
}
