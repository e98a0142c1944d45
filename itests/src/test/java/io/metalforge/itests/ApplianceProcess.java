package io.metalforge.itests;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exported jar run as an operator runs it ({@code java -jar metalforge.jar} in a folder, with its {@code deploy/}
 * and {@code var/}): its console is kept whole, and commands are typed at its shell.
 */
final class ApplianceProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("metalforge ready in \\d+ ms");
    private static final Pattern API_KEY = Pattern.compile("(?m)^\\s*([A-Za-z0-9]+:[A-Za-z0-9]+:[A-Za-z0-9]+)\\s*$");

    private final StringBuffer console = new StringBuffer();
    private final Process process;

    private ApplianceProcess(Process process) {
        this.process = process;
    }

    /** Starts the jar in {@code cwd} with {@code jvmArgs} and waits (at most 120 s) for its ready line. */
    static ApplianceProcess start(Path cwd, List<String> jvmArgs) throws Exception {
        ApplianceProcess appliance = launch(cwd, jvmArgs, Map.of(), true);
        try {
            appliance.awaitReady(120);
        } catch (AssertionError | InterruptedException e) {
            appliance.close(); // a start that failed leaves no process behind
            throw e;
        }
        return appliance;
    }

    /**
     * Starts the jar in {@code cwd} with {@code jvmArgs} and does not wait: {@code environment} adds to the
     * environment (without METALFORGE_DEPLOY and METALFORGE_DATA unless it names them); without a
     * {@code keyboard}, its standard input is closed, as under a service manager.
     */
    static ApplianceProcess launch(Path cwd, List<String> jvmArgs, Map<String, String> environment,
            boolean keyboard) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", System.getProperty("metalforge.distribution.jar")));
        return run(cwd, command, environment, keyboard);
    }

    /** Runs {@code command} (a launcher of the jar, such as bin/metalforge) in {@code cwd} and waits for ready. */
    static ApplianceProcess launch(Path cwd, List<String> command, Map<String, String> environment) throws Exception {
        ApplianceProcess appliance = run(cwd, command, environment, true);
        try {
            appliance.awaitReady(120);
        } catch (AssertionError | InterruptedException e) {
            appliance.close();
            throw e;
        }
        return appliance;
    }

    private static ApplianceProcess run(Path cwd, List<String> command, Map<String, String> environment,
            boolean keyboard) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().remove("METALFORGE_DEPLOY");
        pb.environment().remove("METALFORGE_DATA");
        pb.environment().putAll(environment);
        if (!keyboard) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        ApplianceProcess appliance = new ApplianceProcess(pb.start());
        Thread reader = new Thread(appliance::read, "metalforge-console");
        reader.setDaemon(true);
        reader.start();
        return appliance;
    }

    /** The boot servers' settings for a test: loopback only, on free ports. */
    static List<String> bootServersOnLoopback() throws IOException {
        return List.of("-Dmetalforge.boot.bind=127.0.0.1", "-Dmetalforge.boot.http.port=" + PlatformOptions.freePort(),
                "-Dmetalforge.boot.tftp.port=" + PlatformOptions.freeUdpPort());
    }

    /** Waits at most {@code seconds} for the ready line. */
    void awaitReady(int seconds) throws InterruptedException {
        await(0, READY, seconds);
    }

    /** Waits at most {@code seconds} for the process to end; its exit status, or empty while it runs. */
    OptionalInt exit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** The running process (the JVM, once a launcher script has exec'd it). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void read() {
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            for (int n; (n = in.read(buffer)) >= 0;) {
                // a terminal's line ends (the shell writes \r\n) read as the console shows them
                console.append(new String(buffer, 0, n).replace("\r", ""));
            }
        } catch (IOException e) {
            console.append("\nreader: ").append(e);
        }
    }

    /** Where the console is now: {@link #await} from here sees only what comes next. */
    int mark() {
        return console.length();
    }

    /** Types a command at the shell. */
    void type(String command) throws IOException {
        OutputStream keyboard = process.getOutputStream();
        keyboard.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** The first match of {@code pattern} in the console after {@code from}, waiting at most {@code seconds}. */
    Matcher await(int from, Pattern pattern, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Matcher m = pattern.matcher(console.substring(from));
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new AssertionError("metalforge exited " + process.exitValue() + ":\n" + console);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the console did not show " + pattern + " within " + seconds + " s:\n"
                + console.substring(from));
    }

    /** {@code metalforge:createadmin NAME} typed at the console; the API key it prints. */
    String createadmin(String name) throws Exception {
        int mark = mark();
        type("metalforge:createadmin " + name);
        return await(mark, API_KEY, 60).group(1);
    }

    String console() {
        return console.toString();
    }

    /** The console's lines so far, as a terminal shows them. */
    List<String> lines() {
        return console.toString().lines().toList();
    }

    /** Asks the process to stop (SIGTERM, as a service manager does); whether it ended within {@code seconds}. */
    boolean stop(int seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (!stop(20)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
