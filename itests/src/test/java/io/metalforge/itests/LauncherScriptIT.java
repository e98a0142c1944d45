package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * {@code bin/metalforge}, the appliance launcher, run as an operator runs it: the heap bound it documents (and its
 * override), the JIT setting it documents, and the class-data archive the distribution build wrote next to the jar.
 * {@code -Xshare:on} makes the JVM refuse to start when it cannot map an archive, so a start that gets ready proves
 * the archive fits this JDK and this jar; the class-loading log shows the bundles' classes coming from it rather
 * than from their jars, down to the classes a start loads without linking them. The bundles are installed in place
 * from the folder next to the jar ({@code lb -l} at the shell shows their locations), and a jar that changed since
 * that folder was laid out gets a new one.
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
        Path tmp = Files.createDirectory(cwd.resolve("tmp"));
        // the framework's storage goes to the runtime folder systemd names (RuntimeDirectory=), in this user's
        // private folder there, where the folder a process that is gone left behind is removed
        Path runtime = Files.createDirectory(cwd.resolve("run"));
        Path mine = Files.createDirectory(runtime.resolve("metalforge-" + Files.getAttribute(runtime, "unix:uid")),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path leftBehind = Files.createDirectories(mine.resolve(Long.toString(gone.pid())).resolve("bundle1"));
        int port = PlatformOptions.freePort();
        List<String> command = List.of("bash", System.getProperty("metalforge.launcher.script"),
                "-Dorg.osgi.service.http.port=" + port, "-Dmetalforge.boot.bind=127.0.0.1",
                "-Dmetalforge.boot.http.port=" + PlatformOptions.freePort(),
                "-Dmetalforge.boot.tftp.port=" + PlatformOptions.freeUdpPort(),
                "-Xshare:on", "-Xlog:class+load=info:file=" + classes, "-Djava.io.tmpdir=" + tmp);
        try (ApplianceProcess appliance = ApplianceProcess.launch(cwd, command,
                Map.of("METALFORGE_JAR", jar.toString(), "METALFORGE_HEAP", "384m", "RUNTIME_DIRECTORY",
                        runtime.toString()))) {
            HttpResponse<String> version = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/MAAS/api/2.0/version/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(version.body(), 200, version.statusCode());

            List<String> java = appliance.handle().info().arguments().map(List::of).orElseThrow();
            assertTrue("METALFORGE_HEAP sets the heap bound: " + java, java.contains("-Xmx384m"));
            assertTrue("the launcher maps the archive next to the jar: " + java,
                    java.contains("-XX:SharedArchiveFile=" + archive));
            assertTrue("the launcher raises the JIT's compile thresholds (docs/BENCHMARKS.md, start-up): " + java,
                    java.contains("-XX:CompileThresholdScaling=4") && java.contains("-XX:Tier4InvocationThreshold=15000")
                            && java.contains("-XX:Tier4BackEdgeThreshold=120000"));

            // the jar's Main-Class copies the framework and the launcher to java.io.tmpdir on every start (left there
            // when the JVM is killed); the launcher runs them from the folder next to the jar instead
            assertTrue("the launcher runs the bnd launcher from the class path: " + java,
                    java.get(java.size() - 1).equals("aQute.launcher.Launcher") && !java.contains("-jar"));
            try (var left = Files.list(tmp)) {
                assertEquals("no jar is copied to java.io.tmpdir", List.of(),
                        left.filter(f -> f.getFileName().toString().endsWith(".jar")).toList());
            }

            Path storage = mine.resolve(Long.toString(appliance.handle().pid()));
            assertTrue("the framework keeps its storage in " + storage + ": " + java,
                    java.contains("-Dlaunch.storage.dir=" + storage) && Files.isDirectory(storage.resolve("bundle0")));
            assertFalse("the storage of a process that is gone is removed: " + leftBehind,
                    Files.exists(leftBehind.getParent()));

            Path bundles = jar.resolveSibling("metalforge.bundles");
            String listed = platformLocation(appliance);
            assertInstalledFrom(bundles, listed);
            assertStartLevels(appliance);

            List<String> log = Files.readAllLines(classes);
            long fromArchive = log.stream().filter(l -> l.contains(" io.metalforge.")
                    && l.endsWith("source: shared objects file (top)")).count();
            long fromJars = log.stream().filter(l -> l.contains(" io.metalforge.") && readFromAJar(l)).count();
            // the rest are classes the start only looked at (the verifier loads them without linking them), which a
            // JDK 17 archive leaves out
            assertTrue("most of the bundles' classes come from the archive (" + fromArchive + "), not their jars ("
                    + fromJars + ")", fromArchive > 100 && fromArchive > 2 * fromJars);
            // the start creates the embedded database: the H2 classes it loads, those the verifier's checks of
            // archived classes load without linking them included, the build linked and archived (without that, 270
            // of them were read from H2's jar; a few that only a start's timing reaches may still be)
            List<String> h2FromJar = log.stream().filter(l -> l.contains(" org.h2.") && readFromAJar(l)).toList();
            assertTrue("H2's classes come from the archive, not from its jar: " + h2FromJar,
                    h2FromJar.size() < 10 && log.stream().anyMatch(l -> l.contains(" org.h2.Driver source: shared")));
        }
    }

    /**
     * The build trains the archive with a first image import (distribution/write-class-archive.sh): what that import
     * loads, down to the RSA signature check of a stream signed as Ubuntu's are, is in the archive, so the first
     * import after a start maps it too. The JVM's own listing of the archive, asked with the class path the launcher
     * starts with (an archive fits one class path only), says so.
     */
    @Test
    public void theBuildsArchiveHoldsTheFirstImportsClasses() throws Exception {
        Path jar = Path.of(System.getProperty("metalforge.distribution.jar"));
        Path archive = jar.resolveSibling("metalforge.jsa");
        Path options = jar.resolveSibling("metalforge.bundles").resolve("java.args");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:SharedArchiveFile=" + archive, "-XX:+PrintSharedArchiveAndExit", "@" + options,
                "aQute.launcher.Launcher").redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(listing.length() > 2000 ? listing.substring(listing.length() - 2000) : listing, 0, p.waitFor());
        for (String name : List.of("io.metalforge.simplestreams.internal.Downloader",
                "io.metalforge.simplestreams.internal.OpenPgpVerifier", "org.bouncycastle.bcpg.RSAPublicBCPGKey",
                "org.bouncycastle.crypto.signers.RSADigestSigner", "org.bouncycastle.openpgp.PGPSignature")) {
            assertTrue(name + " is in the archive " + archive,
                    Pattern.compile(": " + Pattern.quote(name) + " ").matcher(listing).find());
        }
    }

    /** What {@code metalforge:extensions} prints, from the OS handlers to the next prompt. */
    private static final Pattern LISTING = Pattern.compile("(?s)OS handlers.*?Power drivers.*?g! ");

    /**
     * A jar replaced by another build: the folder laid out from the previous one (here a folder whose record names
     * another jar, holding a file this jar does not have) is replaced whole before the start, which then installs
     * this jar's bundles from it; a vendor's bundle in the deploy folder is installed beside them as before.
     */
    @Test
    public void laysOutTheBundlesAgainWhenTheJarChanged() throws Exception {
        Path installed = Files.createTempDirectory("metalforge-install");
        Path jar = Files.copy(Path.of(System.getProperty("metalforge.distribution.jar")),
                installed.resolve("metalforge.jar"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        Path bundles = installed.resolve("metalforge.bundles");
        Files.createDirectories(bundles.resolve("jar"));
        Files.writeString(bundles.resolve("jar/left-from-the-previous-build.jar"), "not a bundle");
        Files.writeString(bundles.resolve(".extracted-from"), "1 2026-01-01 00:00:00.000000000 +0000\n");
        Path cwd = Files.createTempDirectory("metalforge-launcher");
        Files.createDirectories(cwd.resolve("deploy"));
        Files.copy(Path.of(System.getProperty("metalforge.example.rocky")), cwd.resolve("deploy/rocky.jar"));
        int port = PlatformOptions.freePort();
        List<String> command = List.of("bash", System.getProperty("metalforge.launcher.script"),
                "-Dorg.osgi.service.http.port=" + port, "-Dmetalforge.boot.bind=127.0.0.1",
                "-Dmetalforge.boot.http.port=" + PlatformOptions.freePort(),
                "-Dmetalforge.boot.tftp.port=" + PlatformOptions.freeUdpPort());
        try (ApplianceProcess appliance = ApplianceProcess.launch(cwd, command,
                Map.of("METALFORGE_JAR", jar.toString(), "METALFORGE_CDS", "0"))) {
            HttpResponse<String> version = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/MAAS/api/2.0/version/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(version.body(), 200, version.statusCode());
            assertFalse("the previous folder is gone",
                    Files.exists(bundles.resolve("jar/left-from-the-previous-build.jar")));
            try (var left = Files.list(installed)) {
                assertEquals("nothing but the jar and its folder is left next to it",
                        List.of("metalforge.bundles", "metalforge.jar"),
                        left.map(f -> f.getFileName().toString()).sorted().toList());
            }
            String listed = platformLocation(appliance);
            assertInstalledFrom(bundles, listed);

            // the deploy folder's bundles are installed once the platform is ready, so the listing is asked again
            // until the vendor's OS is in it (bounded)
            Pattern rocky = Pattern.compile("rocky +Rocky Linux +io\\.metalforge\\.example\\.os\\.rocky ");
            long end = System.nanoTime() + 60_000_000_000L;
            while (true) {
                int mark = appliance.mark();
                appliance.type("metalforge:extensions");
                String listing = appliance.await(mark, LISTING, 60).group();
                if (rocky.matcher(listing).find()) {
                    break;
                }
                assertTrue("the vendor OS from deploy/ is not listed within 60 s:\n" + listing,
                        System.nanoTime() < end);
                Thread.sleep(500);
            }
        }
    }

    /** A class-loading log line of a class read from a jar: "jar:" in the bundle cache, "file:" installed in place. */
    private static boolean readFromAJar(String line) {
        return line.contains("source: jar:") || line.contains("source: file:");
    }

    /** The platform bundle's location, as {@code lb -l} at the appliance's shell lists it. */
    private static String platformLocation(ApplianceProcess appliance) throws Exception {
        int mark = appliance.mark();
        appliance.type("lb -l io.metalforge.platform");
        Pattern location = Pattern.compile("\\|(\\S*/io\\.metalforge\\.platform-[^/|\\s]*\\.jar)");
        return appliance.await(mark, location, 60).group(1);
    }

    /**
     * The platform and the database start at level 1, so the database opens while the bundles of level 2 start; the
     * HTTP service at level 3, once every API handler is there (distribution/metalforge.bndrun says why).
     */
    private static void assertStartLevels(ApplianceProcess appliance) throws Exception {
        Map<String, Integer> levels = Map.of("io.metalforge.platform", 1, "io.metalforge.db", 1, "com.h2database", 1,
                "io.metalforge.catalog", 2, "io.metalforge.http", 2, "org.apache.felix.http.jetty12", 3);
        for (Map.Entry<String, Integer> bundle : levels.entrySet()) {
            int mark = appliance.mark();
            appliance.type("lb -s " + bundle.getKey());
            Matcher line = appliance.await(mark,
                    Pattern.compile("\\|\\s*(\\d+)\\|" + Pattern.quote(bundle.getKey()) + " \\("), 60);
            assertEquals(bundle.getKey() + "'s start level", bundle.getValue().intValue(),
                    Integer.parseInt(line.group(1)));
        }
    }

    /** {@code location} installs a bundle by reference from the {@code jar/} folder of {@code bundles}. */
    private static void assertInstalledFrom(Path bundles, String location) throws Exception {
        assertTrue("installed by reference, not copied into the bundle cache: " + location,
                location.startsWith("reference:file:"));
        Path file = Path.of(URI.create(location.substring("reference:".length())));
        assertEquals("installed from the folder next to the jar: " + location,
                bundles.resolve("jar").toRealPath(), file.toRealPath().getParent());
    }
}
