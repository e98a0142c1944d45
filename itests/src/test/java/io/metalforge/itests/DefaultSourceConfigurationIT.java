package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * {@code default_source_url} in {@code deploy/io.metalforge.simplestreams.cfg} applies on a fresh start of the
 * exported jar, although the default boot source is created before the deploy folder is read; the default source
 * follows later changes of the file while nobody has edited it; once the operator has changed it through the API, the
 * file no longer moves it, and the console says so. Bounded: one start, each wait at most {@value #SECONDS} s.
 * Nothing is fetched from the URLs (auto_import is off).
 */
public class DefaultSourceConfigurationIT {

    private static final int SECONDS = 60;
    private static final Pattern ROW = Pattern.compile("(?m)^(\\d+)\\s+\\d+\\s+(enabled|disabled)\\s+(\\S+)");

    private ApplianceProcess appliance;

    @After
    public void stop() throws InterruptedException {
        if (appliance != null) {
            appliance.close();
        }
    }

    @Test
    public void theDefaultSourceFollowsTheDeployFolderUntilTheOperatorChangesIt() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-run");
        Path deploy = Files.createDirectories(cwd.resolve("deploy"));
        configure(deploy, "http://mirror-a.example/ephemeral-v3/stable");
        int apiPort = PlatformOptions.freePort();
        appliance = ApplianceProcess.start(cwd, List.of("-Dorg.osgi.service.http.port=" + apiPort,
                "-Dmetalforge.boot.http.port=" + PlatformOptions.freePort(), "-Dmetalforge.boot.bind=127.0.0.1",
                "-Dmetalforge.boot.tftp.port=" + PlatformOptions.freeUdpPort()));

        // a fresh start: the one default source has the configured URL, not images.maas.io
        awaitSources(List.of("http://mirror-a.example/ephemeral-v3/stable"));

        // nobody edited it: it follows the file
        configure(deploy, "http://mirror-bb.example/ephemeral-v3/stable");
        awaitSources(List.of("http://mirror-bb.example/ephemeral-v3/stable"));

        // the operator points it elsewhere through the API: that wins over the file from now on
        Api api = Api.withKey("http://127.0.0.1:" + apiPort, appliance.createadmin("admin"));
        String id = sourceIds().get(0);
        Api.Reply moved = api.put("/MAAS/api/2.0/boot-sources/" + id + "/", Map.of("url",
                "http://operator.example/streams/v1/index.json"));
        assertEquals(moved.toString(), 200, moved.status());
        int mark = appliance.mark();
        configure(deploy, "http://mirror-ccc.example/ephemeral-v3/stable");
        appliance.await(mark, Pattern.compile("WARNING .*default_source_url http://mirror-ccc\\.example/ephemeral-v3/"
                + "stable is not applied: the boot sources were changed through the API or the shell"), SECONDS);
        awaitSources(List.of("http://operator.example/streams/v1/index.json"));
        Api.Reply sources = api.get("/MAAS/api/2.0/boot-sources/");
        assertTrue("the API shows the operator's URL: " + sources, sources.body().contains(
                "http://operator.example/streams/v1/index.json") && !sources.body().contains("mirror-"));
    }

    /** The operator's file, replaced whole (as an editor saves it), never seen half written. */
    private static void configure(Path deploy, String url) throws Exception {
        Path next = deploy.resolve("io.metalforge.simplestreams.cfg.next");
        Files.writeString(next, "auto_import=false\ndefault_source_url=" + url + "\n");
        Files.move(next, deploy.resolve("io.metalforge.simplestreams.cfg"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Types metalforge:bootsources until it lists exactly {@code urls}. */
    private void awaitSources(List<String> urls) throws Exception {
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        List<String> seen = List.of();
        while (System.nanoTime() < end) {
            seen = rows(3);
            if (seen.equals(urls)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("metalforge:bootsources lists " + seen + ", not " + urls + " within " + SECONDS
                + " s:\n" + appliance.console());
    }

    private List<String> sourceIds() throws Exception {
        return rows(1);
    }

    /** One column of the rows metalforge:bootsources prints now. */
    private List<String> rows(int group) throws Exception {
        int mark = appliance.mark();
        appliance.type("metalforge:bootsources");
        String table = appliance.await(mark, Pattern.compile("(?s)ID\\s+PRIORITY\\s+STATE\\s+URL\\R(.*?)\\R\\s*g! "),
                SECONDS).group(1);
        Matcher m = ROW.matcher(table);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(group));
        }
        return out;
    }
}
