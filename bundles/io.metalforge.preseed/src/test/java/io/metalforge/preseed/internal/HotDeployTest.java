package io.metalforge.preseed.internal;

import static io.metalforge.preseed.internal.Fixtures.image;
import static io.metalforge.preseed.internal.Fixtures.settings;
import static io.metalforge.preseed.internal.Fixtures.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.example.os.rocky.internal.RockyOsHandler;

/**
 * The example vendor bundle's Rocky handler arriving and leaving while the composer runs (unit level: the registry
 * gains and loses the handler as the whiteboard does when the bundle starts and stops).
 */
class HotDeployTest {

    @Test
    @SuppressWarnings("unchecked")
    void rockyIsUsableWhileRegisteredAndAClearErrorAfterwards() throws Exception {
        TestOsRegistry registry = TestOsRegistry.distribution();
        DeploymentComposerImpl composer = new DeploymentComposerImpl(registry, (Path) null);
        var machine = simple("amd64", BootMethod.UEFI);
        var customOnRocky = image("custom", "rocky9-cis", "root-tgz", "rocky/rocky9");
        var rocky = image("rocky", "rocky9", "root-tgz", "");

        ExtensionNotInstalledException before = assertThrows(ExtensionNotInstalledException.class,
                () -> composer.compose(machine, customOnRocky, settings()));
        assertEquals("OS handler 'rocky' is not installed; installed: " + TestOsRegistry.INSTALLED,
                before.getMessage());

        registry.register(new RockyOsHandler());
        DeploymentConfig asBase = composer.compose(machine, customOnRocky, settings());
        assertEquals("noble", asBase.ephemeralRelease(), "a non-Ubuntu base installs from the commissioning release");
        assertEquals(1, asBase.networkVersion());
        Map<String, Object> late = (Map<String, Object>) Yaml.read(asBase.documents().stream()
                .filter(d -> d.name().equals("main")).findFirst().orElseThrow().content()).get("late_commands");
        assertEquals(List.of("maas", "98-validate-custom-image-has-cloud-init"), List.copyOf(late.keySet()));
        DeploymentConfig own = composer.compose(machine, rocky, settings());
        assertTrue(own.sourceUrl().endsWith("/rocky/amd64/generic/rocky9/stable/root-tgz"), own.sourceUrl());
        assertThrows(IllegalArgumentException.class,
                () -> composer.compose(machine, image("custom", "x", "root-tgz", "rocky/seven"), settings()));

        registry.unregister("rocky");
        ExtensionNotInstalledException after = assertThrows(ExtensionNotInstalledException.class,
                () -> composer.compose(machine, customOnRocky, settings()));
        assertEquals("OS handler 'rocky' is not installed; installed: " + TestOsRegistry.INSTALLED, after.getMessage());
        assertThrows(ExtensionNotInstalledException.class, () -> composer.compose(machine, rocky, settings()));
        // everything else keeps working
        assertEquals("cp:///media/root-ro",
                composer.compose(machine, image("ubuntu", "noble", "squashfs", ""), settings()).sourceUrl());
    }
}
