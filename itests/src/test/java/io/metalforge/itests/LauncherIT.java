package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * Runs the exported jar exactly as the README does ({@code java -jar distribution/target/metalforge.jar}) as a
 * separate process: started as a service and from a console, in any folder, with folder overrides.
 */
public class LauncherIT {

    private static final Pattern READY = Pattern.compile("metalforge ready in \\d+ ms");

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @After
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    @Test
    public void startsAsAServiceWithDefaultFoldersAndKeepsRunning() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-run");
        ProcessBuilder pb = java(cwd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        start(pb);

        awaitLine(READY, 120);
        assertTrue("./var created", Files.isDirectory(cwd.resolve("var")));
        assertTrue("./deploy created", Files.isDirectory(cwd.resolve("deploy")));
        Thread.sleep(3000);
        assertTrue("still running with stdin closed: " + output, process.isAlive());
        assertTrue("no errors: " + output, output.stream().noneMatch(l -> l.contains("ERROR")));
    }

    @Test
    public void aBundleDeployedBeforeStartIsActiveAndFoldersFollowTheEnvironment() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-run");
        Path deploy = Files.createDirectories(cwd.resolve("custom-deploy"));
        Path data = cwd.resolve("custom-data");
        Files.copy(Path.of(System.getProperty("metalforge.example.rocky")), deploy.resolve("rocky.jar"));

        ProcessBuilder pb = java(cwd, "-Dmetalforge.data=" + data);
        pb.environment().put("METALFORGE_DEPLOY", deploy.toString());
        start(pb);
        awaitLine(READY, 120);

        OutputStream console = process.getOutputStream();
        long end = System.currentTimeMillis() + 10_000;
        boolean listed = false;
        while (!listed && System.currentTimeMillis() < end) {
            console.write("metalforge:extensions\n".getBytes(StandardCharsets.UTF_8));
            console.flush();
            Thread.sleep(500);
            listed = output.stream().anyMatch(l -> l.contains("rocky") && l.contains("Rocky Linux"));
        }
        assertTrue("rocky listed by the console: " + output, listed);
        assertTrue("data folder from -Dmetalforge.data", Files.isDirectory(data));
        assertTrue("no ./deploy when METALFORGE_DEPLOY is set", !Files.exists(cwd.resolve("deploy")));
    }

    /**
     * What an operator sees in the console of a fresh start, in order (the README's "You see:" block): the admin
     * hint, the ready line, the shell's banner, then the prompt; no INFO line (the framework's bundle events and the
     * components' own included), which goes to
     * {@code var/log/metalforge.log} instead, shown by {@code metalforge:log}.
     */
    @Test
    public void theConsoleShowsHintReadyBannerThenThePromptAndInfoGoesToTheLogFile() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-run");
        start(java(cwd));
        awaitLine(READY, 120);
        OutputStream console = process.getOutputStream();
        console.write("metalforge:log 400\n".getBytes(StandardCharsets.UTF_8));
        console.flush();
        awaitLine(Pattern.compile("^g! ==> .*metalforge\\.log <==$"), 30);

        List<String> seen = List.copyOf(output);
        int hint = indexOf(seen, "metalforge: no administrator yet; create one with `bin/metalforge-admin createadmin NAME`");
        int ready = indexOf(seen, "metalforge ready in ");
        int banner = indexOf(seen, "Welcome to Apache Felix Gogo");
        int prompt = indexOf(seen, "g! ");
        assertTrue("hint, ready, banner, prompt in that order: " + seen, 0 <= hint && hint < ready && ready < banner
                && banner < prompt);
        // the one warning of a fresh folder (no bootloaders yet), as the README shows it
        List<String> beforePrompt = seen.subList(0, prompt).stream()
                .filter(l -> !l.startsWith("WARNING [io.metalforge.boot] No bootloaders found in ")).toList();
        assertEquals("nothing else before the prompt: " + seen, List.of(seen.get(hint), seen.get(ready),
                "____________________________", "Welcome to Apache Felix Gogo", ""), beforePrompt);

        Path log = cwd.resolve("var/log/metalforge.log");
        String written = Files.readString(log);
        assertTrue("the framework's INFO lines are in the log file: " + written,
                written.contains("INFO    [org.apache.felix.http.jetty12] BundleEvent STARTED"));
        assertTrue("a component's INFO lines too: " + written, written.contains("INFO    "
                + "[io.metalforge.power.service.internal.PowerServiceImpl] loaded the BMC settings of 0 machines"));
        assertTrue("metalforge:log shows them: " + seen, seen.stream().anyMatch(l -> l.contains("loaded the BMC settings")));
        assertTrue("service events are not INFO: " + written, !written.contains("INFO    [io.metalforge.platform] "
                + "ServiceEvent"));
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    private static ProcessBuilder java(Path cwd, String... jvmArgs) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-Dorg.osgi.service.http.port=" + port(),
                "-Dmetalforge.boot.bind=127.0.0.1", "-Dmetalforge.boot.http.port=" + port(),
                "-Dmetalforge.boot.tftp.port=" + udpPort()));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", System.getProperty("metalforge.distribution.jar")));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(cwd.toFile());
        pb.redirectErrorStream(true);
        pb.environment().remove("METALFORGE_DEPLOY");
        pb.environment().remove("METALFORGE_DATA");
        return pb;
    }

    private static int udpPort() {
        try {
            return PlatformOptions.freeUdpPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int port() {
        try {
            return PlatformOptions.freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void start(ProcessBuilder pb) throws IOException {
        process = pb.start();
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
    }

    private void awaitLine(Pattern pattern, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            if (output.stream().anyMatch(l -> pattern.matcher(l).find())) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("process exited " + process.exitValue() + ": " + output);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " within " + seconds + " s: " + output);
    }
}
