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
        FakeServiceObjects<OsHandler> objects = new FakeServiceObjects<>(Map.of(OsHandler.PROPERTY_NAME, "rocky"),
                rocky);

        registry.addExtension(objects);
        assertEquals(List.of("rocky"), registry.names());
        assertSame(rocky, registry.require("rocky"));
        assertEquals("ROCKY", registry.describe().get(0).title());

        registry.removeExtension(objects);
        assertEquals(List.of(), registry.names());
        ExtensionNotInstalledException e = assertThrows(ExtensionNotInstalledException.class,
                () -> registry.require("rocky"));
        assertEquals("OS handler 'rocky' is not installed; installed: none", e.getMessage());
        assertEquals(ExtensionFamily.OS_HANDLER, e.family());
    }

    @Test
    void anExtensionIsMadeOnlyWhenFirstAskedForAndThenOnce() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        FakeServiceObjects<OsHandler> objects = new FakeServiceObjects<>(Map.of(OsHandler.PROPERTY_NAME, "ubuntu"),
                os("ubuntu"));
        registry.addExtension(objects);
        // listed by its name property alone: the extension's component is not activated for that
        assertEquals(List.of("ubuntu"), registry.names());
        assertEquals(0, objects.gets());
        assertTrue(registry.find("ubuntu").isPresent());
        assertEquals(1, objects.gets());
        registry.require("ubuntu");
        assertEquals("UBUNTU", registry.describe().get(0).title());
        assertEquals(1, objects.gets(), "the extension is kept once made");
    }

    @Test
    void anExtensionThatCannotBeMadeIsNotFound() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        // Declarative Services answers null when the extension's activation fails
        registry.addExtension(new FakeServiceObjects<>(Map.of(OsHandler.PROPERTY_NAME, "broken"), null));
        assertEquals(List.of("broken"), registry.names());
        assertTrue(registry.find("broken").isEmpty());
        assertEquals(null, registry.describe().get(0).title());
    }

    @Test
    void nameFallsBackToTheServiceWhenThePropertyIsMissing() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        FakeServiceObjects<OsHandler> objects = new FakeServiceObjects<>(Map.of(), os("suse"));
        registry.addExtension(objects);
        assertEquals(1, objects.gets(), "only the extension can tell its name");
        assertTrue(registry.find("suse").isPresent());
        assertEquals(1, objects.gets());
    }

    @Test
    void higherRankingWinsAndTheOtherTakesOverWhenItLeaves() {
        OsHandlerRegistryImpl registry = new OsHandlerRegistryImpl();
        OsHandler low = os("centos");
        OsHandler high = os("centos");
        FakeServiceObjects<OsHandler> lowObjects = new FakeServiceObjects<>(Map.of(OsHandler.PROPERTY_NAME, "centos"),
                low);
        FakeServiceObjects<OsHandler> highObjects = new FakeServiceObjects<>(
                Map.of(OsHandler.PROPERTY_NAME, "centos", Constants.SERVICE_RANKING, 10), high);
        registry.addExtension(lowObjects);
        registry.addExtension(highObjects);
        assertSame(high, registry.require("centos"));
        assertEquals(1, registry.describe().size());
        assertEquals(0, lowObjects.gets(), "the one not chosen is not made");

        registry.removeExtension(highObjects);
        assertSame(low, registry.require("centos"));
    }

    @Test
    void nullNameIsNotFound() {
        assertTrue(new OsHandlerRegistryImpl().find(null).isEmpty());
    }
}
