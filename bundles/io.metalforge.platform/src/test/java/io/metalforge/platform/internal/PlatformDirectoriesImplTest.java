package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.platform.PlatformDirectories;

class PlatformDirectoriesImplTest {

    @TempDir
    Path tmp;

    @Test
    void propertyBeatsEnvironmentBeatsDefault() {
        Map<String, String> props = Map.of(PlatformDirectories.DATA_PROPERTY, tmp.resolve("p").toString());
        Map<String, String> env = Map.of(PlatformDirectories.DATA_ENV, tmp.resolve("e").toString(),
                PlatformDirectories.DEPLOY_ENV, tmp.resolve("d").toString());

        PlatformDirectoriesImpl dirs = new PlatformDirectoriesImpl(props::get, env::get);

        assertEquals(tmp.resolve("p"), dirs.data());
        assertEquals(tmp.resolve("d"), dirs.deploy());
        assertTrue(Files.isDirectory(dirs.data()));
        assertTrue(Files.isDirectory(dirs.deploy()));
    }

    @Test
    void anUnresolvedPlaceholderCountsAsUnset() {
        Path resolved = PlatformDirectoriesImpl.resolve(k -> "${env:METALFORGE_DEPLOY:-deploy}",
                k -> tmp.toString(), "metalforge.deploy", "METALFORGE_DEPLOY", "deploy");
        assertEquals(tmp, resolved);
    }

    @Test
    void defaultsAreRelativeToTheWorkingDirectory() {
        Path resolved = PlatformDirectoriesImpl.resolve(k -> null, k -> " ", "x", "X", "var");
        assertEquals(Path.of("var").toAbsolutePath().normalize(), resolved);
    }
}
