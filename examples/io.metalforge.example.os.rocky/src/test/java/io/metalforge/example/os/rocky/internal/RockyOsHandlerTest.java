package io.metalforge.example.os.rocky.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.metalforge.api.os.CustomImageCheck;
import io.metalforge.api.os.PackageProxy;

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

    @Test
    void aLinuxBaseForCustomImages() {
        assertTrue(rocky.isLinux());
        assertTrue(rocky.isCustomImageBase());
        assertEquals(Set.of(CustomImageCheck.CLOUD_INIT, CustomImageCheck.CURTIN_HOOKS), rocky.customImageChecks());
        assertEquals(PackageProxy.YUM, rocky.packageProxy());
        assertEquals(1, rocky.networkConfigVersion("rocky9"));
        assertEquals(Set.of("amd64/generic", "arm64/generic"), rocky.architectures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rocky.requireRelease("9"));
        assertEquals("'9' is not a Rocky Linux release; valid releases: rocky<major>, e.g. rocky8, rocky9, rocky10",
                e.getMessage());
    }
}
