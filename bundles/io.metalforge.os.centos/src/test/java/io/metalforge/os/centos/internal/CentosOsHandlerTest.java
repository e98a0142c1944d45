package io.metalforge.os.centos.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.metalforge.api.os.BootPurpose;

class CentosOsHandlerTest {

    private final CentosOsHandler h = new CentosOsHandler();

    @Test
    void facts() {
        assertEquals("centos", h.name());
        assertEquals("CentOS", h.title());
        assertEquals("centos70", h.defaultRelease());
        assertEquals(Set.of(BootPurpose.XINSTALL), h.purposes());
    }

    @Test
    void releaseTitles() {
        assertEquals("CentOS 7", h.releaseTitle("centos70"));
        assertEquals("CentOS 8", h.releaseTitle("centos8"));
        assertEquals("CentOS 7.9", h.releaseTitle("centos79"));
        assertEquals("CentOS Stream 9", h.releaseTitle("centos9-CentOS Stream 9"));
        assertEquals("fedora", h.releaseTitle("fedora"));
        assertTrue(h.isReleaseSupported("centos70"));
        assertTrue(h.isReleaseSupported("8"));
        assertFalse(h.isReleaseSupported("rhel8"));
        assertFalse(h.isReleaseSupported(null));
    }

    @Test
    void onlyTarballs() {
        assertEquals(Optional.of("tgz"), h.curtinSourceType("root-tgz"));
        assertEquals(Optional.empty(), h.curtinSourceType("root-dd.xz"));
        assertEquals(Optional.empty(), h.curtinSourceType("squashfs"));
    }
}
