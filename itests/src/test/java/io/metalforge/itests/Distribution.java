package io.metalforge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The exported distribution jar, read the way its launcher reads it: the ordered bundle list, their start levels
 * and the framework properties. Integration tests boot exactly this set.
 */
final class Distribution {

    /** One bundle embedded in the distribution jar; a fragment is installed, never started. */
    record EmbeddedBundle(String url, String symbolicName, int startLevel, boolean fragment) {
    }

    private final Path jar;
    private final Properties launcher = new Properties();

    private Distribution(Path jar) throws IOException {
        this.jar = jar;
        try (JarFile file = new JarFile(jar.toFile()); InputStream in = file.getInputStream(file.getEntry("launcher.properties"))) {
            launcher.load(in);
        }
    }

    static Distribution load() throws IOException {
        String path = System.getProperty("metalforge.distribution.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("distribution jar not found (" + path + "): build distribution/ first");
        }
        return new Distribution(Path.of(path).toAbsolutePath());
    }

    Path jar() {
        return jar;
    }

    /** Bundles in launch order, without the launcher itself (the test supplies the framework). */
    List<EmbeddedBundle> bundles() {
        Map<String, Integer> levels = startLevels();
        List<EmbeddedBundle> out = new ArrayList<>();
        for (String entry : launcher.getProperty("launch.bundles").split(",")) {
            Attributes headers = headersOf(entry.trim());
            String bsn = headers.getValue("Bundle-SymbolicName").split(";")[0].trim();
            if (bsn.equals("biz.aQute.launcher")) {
                continue;
            }
            out.add(new EmbeddedBundle("jar:" + jar.toUri() + "!/" + entry.trim(), bsn,
                    levels.getOrDefault(bsn, Integer.parseInt(launcher.getProperty("launch.startlevel.default", "1"))),
                    headers.getValue("Fragment-Host") != null));
        }
        return out;
    }

    /** The manifest headers of an embedded jar (file names do not carry the symbolic name reliably). */
    private Attributes headersOf(String entry) {
        try (JarFile outer = new JarFile(jar.toFile());
                JarInputStream inner = new JarInputStream(outer.getInputStream(outer.getEntry(entry)))) {
            Manifest manifest = inner.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                throw new IllegalStateException(entry + " has no Bundle-SymbolicName");
            }
            return manifest.getMainAttributes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The -runproperties: everything the launcher passes to the framework. */
    Map<String, String> frameworkProperties() {
        Map<String, String> out = new HashMap<>();
        for (String key : launcher.stringPropertyNames()) {
            if (!key.startsWith("launch.")) {
                out.put(key, launcher.getProperty(key));
            }
        }
        return out;
    }

    private Map<String, Integer> startLevels() {
        Map<String, Integer> out = new HashMap<>();
        String attrs = launcher.getProperty("launch.runbundles.attrs", "");
        // entries look like: bsn;version="1.0";startlevel=1
        for (String entry : attrs.split(",(?=[A-Za-z])")) {
            String[] parts = entry.split(";");
            Arrays.stream(parts).filter(p -> p.startsWith("startlevel="))
                    .forEach(p -> out.put(parts[0].trim(), Integer.parseInt(p.substring("startlevel=".length()))));
        }
        return out;
    }
}
