package io.metalforge.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * A configuration file in the deploy folder applies on every fresh start of the exported jar, also when
 * {@code bin/metalforge-admin createadmin} runs against the same folders while the appliance is up, and neither
 * process ever rewrites the operator's file (a rewrite in place raced the other process's reads, which could apply,
 * then save, an empty configuration). Bounded: {@value #STARTS} starts, each within {@value #START_SECONDS} s.
 */
public class DeployConfigurationIT {

    private static final int STARTS = 3;
    private static final int START_SECONDS = 90;
    private static final Pattern READY = Pattern.compile("metalforge ready in \\d+ ms");
    /** A list value, in the operator's own layout: the kind FileInstall used to save back on every start. */
    private static final String CFG = "# air-gapped site: accept uploads before the first sync\n"
            + "additional_architectures=[\"amd64/generic\"]\n";

    private final List<Process> processes = new ArrayList<>();

    @After
    public void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    public void uploadSettingAppliesOnEveryFreshStartAndTheFileIsNeverRewritten() throws Exception {
        Path image = Files.createTempFile("metalforge-itest", ".tgz");
        Files.write(image, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int start = 1; start <= STARTS; start++) {
            Path cwd = Files.createTempDirectory("metalforge-run");
            Path cfg = Files.createDirectories(cwd.resolve("deploy")).resolve("io.metalforge.catalog.upload.cfg");
            Files.writeString(cfg, CFG);
            FileTime written = FileTime.fromMillis(1_600_000_000_000L);
            Files.setLastModifiedTime(cfg, written);

            List<String> output = new CopyOnWriteArrayList<>();
            Process appliance = start(cwd, output, "-Dorg.osgi.service.http.port=" + PlatformOptions.freePort());
            awaitLine(appliance, output, READY);
            // bin/metalforge-admin createadmin while the appliance is up: a second framework on the same folders
            List<String> adminOutput = new CopyOnWriteArrayList<>();
            Process admin = start(cwd, adminOutput, "-Dmetalforge.admin=createadmin admin" + start,
                    "-Dorg.apache.felix.http.enable=false");
            assertTrue("admin mode ended: " + adminOutput, admin.waitFor(START_SECONDS, TimeUnit.SECONDS));

            String refusal = "amd64/generic is not one of the available choices";
            OutputStream console = appliance.getOutputStream();
            long end = System.currentTimeMillis() + 10_000;
            boolean answered = false;
            while (!answered && System.currentTimeMillis() < end) {
                console.write(("metalforge:upload " + image + " start" + start + "-" + System.nanoTime()
                        + " amd64/generic tgz\n").getBytes(StandardCharsets.UTF_8));
                console.flush();
                Thread.sleep(1000);
                answered = output.stream().anyMatch(l -> l.contains("Upload refused") || l.contains("Hashing"));
            }
            assertTrue("start " + start + ": the upload command answered: " + output, answered);
            Thread.sleep(3000); // the create form's verdict follows the hashing line
            assertFalse("start " + start + ": additional_architectures did not apply: " + output,
                    output.stream().anyMatch(l -> l.contains(refusal)));
            assertArrayEquals("start " + start + ": the operator's file was rewritten",
                    CFG.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(cfg));
            assertEquals("start " + start + ": the operator's file was touched", written,
                    Files.getLastModifiedTime(cfg));

            appliance.destroy();
            assertTrue(appliance.waitFor(30, TimeUnit.SECONDS));
        }
    }

    private Process start(Path cwd, List<String> output, String... jvmArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", System.getProperty("metalforge.distribution.jar")));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().remove("METALFORGE_DEPLOY");
        pb.environment().remove("METALFORGE_DATA");
        if (command.stream().anyMatch(a -> a.startsWith("-Dmetalforge.admin="))) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process = pb.start();
        processes.add(process);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("reader: " + e);
            }
        }, "metalforge-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static void awaitLine(Process process, List<String> output, Pattern pattern) throws InterruptedException {
        long end = System.currentTimeMillis() + START_SECONDS * 1000L;
        while (System.currentTimeMillis() < end) {
            if (output.stream().anyMatch(l -> pattern.matcher(l).find())) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("process exited " + process.exitValue() + ": " + output);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " within " + START_SECONDS + " s: " + output);
    }
}
