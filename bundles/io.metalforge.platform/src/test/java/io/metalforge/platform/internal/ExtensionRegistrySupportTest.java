package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionNotInstalledException;

class ExtensionRegistrySupportTest {

    private static OsHandler os(String name) {
        return new OsHandler() {
            @Override public String name() { return name; }
            @Override public String title() { return name.toUpperCase(); }
            @Override public String defaultRelease() { return ""; }
            @Override public String releaseTitle(String release) { return release; }
            @Override public boolean isReleaseSupported(String release) { return true; }
            @Override public List<String> supportedReleases() { return List.of(); }
            @Override public Set<BootPurpose> purposes() { return Set.of(BootPurpose.XINSTALL); }
            @Override public Optional<String> curtinSourceType(String filetype) { return Optional.empty(); }
        };
    }

    @Test
    void servicesArriveAndLeaveByName() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        OsHandler rocky = os("rocky");
        FakeServiceReference<OsHandler> ref = new FakeServiceReference<>(Map.of(OsHandler.PROPERTY_NAME, "rocky"));

        registry.addExtension(ref, rocky);
        assertEquals(List.of("rocky"), registry.names());
        assertSame(rocky, registry.require("rocky"));
        assertEquals("ROCKY", registry.describe().get(0).title());

        registry.removeExtension(ref, rocky);
        assertEquals(List.of(), registry.names());
        ExtensionNotInstalledException e = assertThrows(ExtensionNotInstalledException.class,
                () -> registry.require("rocky"));
        assertEquals("OS handler 'rocky' is not installed; installed: none", e.getMessage());
        assertEquals(ExtensionFamily.OS_HANDLER, e.family());
    }

    @Test
    void nameFallsBackToTheServiceWhenThePropertyIsMissing() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        registry.addExtension(new FakeServiceReference<>(Map.of()), os("suse"));
        assertTrue(registry.find("suse").isPresent());
    }

    @Test
    void higherRankingWinsAndTheOtherTakesOverWhenItLeaves() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        OsHandler low = os("centos");
        OsHandler high = os("centos");
        FakeServiceReference<OsHandler> lowRef = new FakeServiceReference<>(Map.of(OsHandler.PROPERTY_NAME, "centos"));
        FakeServiceReference<OsHandler> highRef = new FakeServiceReference<>(
                Map.of(OsHandler.PROPERTY_NAME, "centos", Constants.SERVICE_RANKING, 10));
        registry.addExtension(lowRef, low);
        registry.addExtension(highRef, high);
        assertSame(high, registry.require("centos"));
        assertEquals(1, registry.describe().size());

        registry.removeExtension(highRef, high);
        assertSame(low, registry.require("centos"));
    }

    @Test
    void nullNameIsNotFound() {
        assertTrue(new OsHandlerRegistryImpl().find(null).isEmpty());
    }
}
