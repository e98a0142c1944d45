package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * Runs the exported jar with the JDK's defaults ({@code java -jar distribution/target/metalforge.jar}, what the
 * README's {@code bin/metalforge} runs with its appliance settings) as a separate process: started as a service and
 * from a console, in any folder, with folder overrides.
 */
public class LauncherIT {

    @Test
    public void startsAsAServiceWithDefaultFoldersAndKeepsRunning() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-run");
        try (ApplianceProcess appliance = ApplianceProcess.launch(cwd, ports(), Map.of(), false)) {
            appliance.awaitReady(120);
            assertTrue("./var created", Files.isDirectory(cwd.resolve("var")));
            assertTrue("./deploy created", Files.isDirectory(cwd.resolve("deploy")));
            Thread.sleep(3000);
            assertTrue("still running with stdin closed: " + appliance.console(), appliance.isAlive());
            assertTrue("no errors: " + appliance.console(), !appliance.console().contains("ERROR"));
        }
    }

    @Test
    public void aBundleDeployedBeforeStartIsActiveAndFoldersFollowTheEnvironment() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-run");
        Path deploy = Files.createDirectories(cwd.resolve("custom-deploy"));
        Path data = cwd.resolve("custom-data");
        Files.copy(Path.of(System.getProperty("metalforge.example.rocky")), deploy.resolve("rocky.jar"));

        List<String> args = new ArrayList<>(ports());
        args.add("-Dmetalforge.data=" + data);
        try (ApplianceProcess appliance = ApplianceProcess.launch(cwd, args,
                Map.of("METALFORGE_DEPLOY", deploy.toString()), true)) {
            appliance.awaitReady(120);
            // typed until listed (at most 20 times in 10 s): the deployed bundle may still be starting
            Pattern rocky = Pattern.compile("(?m)^.*rocky.*Rocky Linux.*$");
            boolean listed = false;
            for (int i = 0; i < 20 && !listed; i++) {
                int mark = appliance.mark();
                appliance.type("metalforge:extensions");
                Thread.sleep(500);
                listed = rocky.matcher(appliance.console().substring(mark)).find();
            }
            assertTrue("rocky listed by the console: " + appliance.console(), listed);
        }
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
        List<String> seen;
        try (ApplianceProcess appliance = ApplianceProcess.launch(cwd, ports(), Map.of(), true)) {
            appliance.awaitReady(120);
            appliance.type("metalforge:log 400");
            appliance.await(0, Pattern.compile("(?m)^g! ==> .*metalforge\\.log <==$"), 30);
            seen = appliance.lines();
        }
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

    /** The API and the boot servers on free loopback ports. */
    private static List<String> ports() throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("-Dorg.osgi.service.http.port=" + PlatformOptions.freePort()));
        args.addAll(ApplianceProcess.bootServersOnLoopback());
        return args;
    }
}
