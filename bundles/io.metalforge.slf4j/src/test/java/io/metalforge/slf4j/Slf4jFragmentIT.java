package io.metalforge.slf4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * Boots a real Felix with slf4j-api, slf4j-simple and this fragment (the jar this module packaged) and no
 * Service Loader Mediator: slf4j-api must resolve and log through slf4j-simple, not fall back to its no-operation
 * logger (which would hide Jetty's errors, such as a port already taken).
 */
@Timeout(60)
class Slf4jFragmentIT {

    @Test
    void slf4jApiLogsThroughSlf4jSimpleWithoutAnExtender(@TempDir Path storage) throws Exception {
        Path fragment = Path.of(System.getProperty("metalforge.fragment.jar"));
        assertEquals(true, Files.isRegularFile(fragment), fragment + " was packaged");
        Framework felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        felix.start();
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            Bundle api = install(felix, org.slf4j.LoggerFactory.class);
            Bundle simple = install(felix, org.slf4j.simple.SimpleServiceProvider.class);
            felix.getBundleContext().installBundle(fragment.toUri().toString());
            api.start();
            simple.start();
            assertEquals(List.of(), Arrays.stream(felix.getBundleContext().getBundles())
                    .filter(b -> b.getState() != Bundle.ACTIVE && b.getState() != Bundle.RESOLVED)
                    .map(Bundle::getSymbolicName).toList(), "every bundle resolves");

            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            Class<?> factory = api.loadClass("org.slf4j.LoggerFactory");
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, "org.eclipse.jetty.server");
            logger.getClass().getMethod("error", String.class).invoke(logger, "Failed to bind to 0.0.0.0:5240");
            assertEquals("org.slf4j.simple.SimpleLogger", logger.getClass().getName());
        } finally {
            System.setErr(err);
            felix.stop();
            felix.waitForStop(10_000);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(true, text.contains("ERROR org.eclipse.jetty.server - Failed to bind to 0.0.0.0:5240"), text);
        assertEquals(false, text.contains("NOP"), text);
    }

    /** Installs the jar a class of the test class path came from: the same artifact the distribution embeds. */
    private static Bundle install(Framework felix, Class<?> from) throws Exception {
        Path jar = Path.of(from.getProtectionDomain().getCodeSource().getLocation().toURI());
        return felix.getBundleContext().installBundle(jar.toUri().toString());
    }
}
