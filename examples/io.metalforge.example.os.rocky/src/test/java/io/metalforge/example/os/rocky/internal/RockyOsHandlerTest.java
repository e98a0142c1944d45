package io.metalforge.example.os.rocky.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RockyOsHandlerTest {

    private final RockyOsHandler rocky = new RockyOsHandler();

    @Test
    void releases() {
        assertTrue(rocky.isReleaseSupported("rocky9"));
        assertFalse(rocky.isReleaseSupported("centos9"));
        assertFalse(rocky.isReleaseSupported(null));
        assertEquals("Rocky Linux 9", rocky.releaseTitle("rocky9"));
        assertEquals("weird", rocky.releaseTitle("weird"));
        assertTrue(rocky.supportedReleases().contains(rocky.defaultRelease()));
    }

    @Test
    void onlyRootTarballsInstall() {
        assertEquals(Optional.of("tgz"), rocky.curtinSourceType("root-tgz"));
        assertEquals(Optional.of("txz"), rocky.curtinSourceType("root.txz"));
        assertEquals(Optional.empty(), rocky.curtinSourceType("root-dd.xz"));
        assertEquals(Optional.empty(), rocky.curtinSourceType(null));
    }
}
