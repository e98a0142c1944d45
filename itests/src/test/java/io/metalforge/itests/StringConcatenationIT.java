package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import org.junit.Test;

/**
 * The build compiles Metalforge's bundles with {@code -XDstringConcat=inline} (the parent pom): string
 * concatenations become StringBuilder calls instead of {@code invokedynamic} sites, each of which the JVM links on
 * its first run by generating method handles, work a start paid for every concatenation it ran (docs/BENCHMARKS.md,
 * start-up). The distribution's own bundles therefore name no {@code makeConcatWithConstants} bootstrap.
 */
public class StringConcatenationIT {

    private static final String BOOTSTRAP = "makeConcatWithConstants";

    @Test
    public void theDistributionsBundlesConcatenateWithoutInvokedynamic() throws IOException {
        Path jar = Path.of(System.getProperty("metalforge.distribution.jar"));
        List<String> offenders = new ArrayList<>();
        int bundles = 0;
        int classes = 0;
        try (JarFile distribution = new JarFile(jar.toFile())) {
            for (JarEntry entry : distribution.stream().toList()) {
                if (!entry.getName().matches("jar/io\\.metalforge\\.[^/]*\\.jar")) {
                    continue;
                }
                bundles++;
                byte[] bundle = distribution.getInputStream(entry).readAllBytes();
                try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bundle))) {
                    for (JarEntry c = in.getNextJarEntry(); c != null; c = in.getNextJarEntry()) {
                        if (c.getName().endsWith(".class")) {
                            classes++;
                            // ISO-8859-1 maps each byte to one char, so the constant pool's name is found as text
                            if (new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(BOOTSTRAP)) {
                                offenders.add(entry.getName() + "!" + c.getName());
                            }
                        }
                    }
                }
            }
        }
        assertTrue("the distribution holds Metalforge's bundles (" + bundles + ") and their classes (" + classes + ")",
                bundles > 20 && classes > 500);
        assertEquals("classes with invokedynamic string concatenation", List.of(), offenders);
    }
}
