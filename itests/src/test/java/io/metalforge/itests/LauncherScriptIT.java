package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * {@code bin/metalforge}, the appliance launcher, run as an operator runs it: the heap bound it documents (and its
 * override), the JIT setting it documents, and the class-data archive the distribution build wrote next to the jar.
 * {@code -Xshare:on} makes the JVM refuse to start when it cannot map an archive, so a start that gets ready proves
 * the archive fits this JDK and this jar; the class-loading log shows the bundles' classes coming from it rather
 * than from their jars.
 */
public class LauncherScriptIT {

    @Test
    public void startsWithTheBuildsClassArchiveAndTheDocumentedHeap() throws Exception {
        Path jar = Path.of(System.getProperty("metalforge.distribution.jar"));
        Path archive = jar.resolveSibling("metalforge.jsa");
        assertTrue("the distribution build writes " + archive + " (unless -Dmetalforge.archive.skip=true)",
                Files.isRegularFile(archive));
        Path cwd = Files.createTempDirectory("metalforge-launcher");
        Path classes = cwd.resolve("classes.log");
        int port = PlatformOptions.freePort();
        List<String> command = List.of("bash", System.getProperty("metalforge.launcher.script"),
                "-Dorg.osgi.service.http.port=" + port, "-Dmetalforge.boot.bind=127.0.0.1",
                "-Dmetalforge.boot.http.port=" + PlatformOptions.freePort(),
                "-Dmetalforge.boot.tftp.port=" + PlatformOptions.freeUdpPort(),
                "-Xshare:on", "-Xlog:class+load=info:file=" + classes);
        try (ApplianceProcess appliance = ApplianceProcess.launch(cwd, command,
                Map.of("METALFORGE_JAR", jar.toString(), "METALFORGE_HEAP", "384m"))) {
            HttpResponse<String> version = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/MAAS/api/2.0/version/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(version.body(), 200, version.statusCode());

            List<String> java = appliance.handle().info().arguments().map(List::of).orElseThrow();
            assertTrue("METALFORGE_HEAP sets the heap bound: " + java, java.contains("-Xmx384m"));
            assertTrue("the launcher maps the archive next to the jar: " + java,
                    java.contains("-XX:SharedArchiveFile=" + archive));
            assertTrue("the launcher raises the JIT's compile thresholds (docs/BENCHMARKS.md, start-up): " + java,
                    java.contains("-XX:CompileThresholdScaling=4"));

            List<String> log = Files.readAllLines(classes);
            long fromArchive = log.stream().filter(l -> l.contains(" io.metalforge.")
                    && l.endsWith("source: shared objects file (top)")).count();
            long fromJars = log.stream().filter(l -> l.contains(" io.metalforge.") && l.contains("source: jar:")).count();
            // the rest are classes the start only looked at (the verifier loads them without linking them), which a
            // JDK 17 archive leaves out
            assertTrue("most of the bundles' classes come from the archive (" + fromArchive + "), not their jars ("
                    + fromJars + ")", fromArchive > 100 && fromArchive > 2 * fromJars);
        }
    }
}
