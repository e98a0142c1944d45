package io.metalforge.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /** A list value, in the operator's own layout: the kind FileInstall used to save back on every start. */
    private static final String CFG = "# air-gapped site: accept uploads before the first sync\n"
            + "additional_architectures=[\"amd64/generic\"]\n";

    private final List<ApplianceProcess> processes = new ArrayList<>();

    @After
    public void stop() throws InterruptedException {
        for (ApplianceProcess p : processes) {
            p.close();
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

            ApplianceProcess appliance = start(cwd, true, "-Dorg.osgi.service.http.port=" + PlatformOptions.freePort());
            appliance.awaitReady(START_SECONDS);
            // bin/metalforge-admin createadmin while the appliance is up: a second framework on the same folders
            ApplianceProcess admin = start(cwd, false, "-Dmetalforge.admin=createadmin admin" + start,
                    "-Dorg.apache.felix.http.enable=false");
            assertTrue("admin mode ended: " + admin.console(), admin.exit(START_SECONDS).isPresent());

            String refusal = "amd64/generic is not one of the available choices";
            // typed until answered (at most 10 times in 10 s): the upload command may still be registering
            Pattern answer = Pattern.compile("Upload refused|Hashing");
            boolean answered = false;
            for (int i = 0; i < 10 && !answered; i++) {
                appliance.type("metalforge:upload " + image + " start" + start + "-" + System.nanoTime()
                        + " amd64/generic tgz");
                Thread.sleep(1000);
                answered = answer.matcher(appliance.console()).find();
            }
            assertTrue("start " + start + ": the upload command answered: " + appliance.console(), answered);
            Thread.sleep(3000); // the create form's verdict follows the hashing line
            assertFalse("start " + start + ": additional_architectures did not apply: " + appliance.console(),
                    appliance.console().contains(refusal));
            assertArrayEquals("start " + start + ": the operator's file was rewritten",
                    CFG.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(cfg));
            assertEquals("start " + start + ": the operator's file was touched", written,
                    Files.getLastModifiedTime(cfg));

            assertTrue("start " + start + ": stopped when asked", appliance.stop(30));
        }
    }

    private ApplianceProcess start(Path cwd, boolean keyboard, String... jvmArgs) throws IOException {
        List<String> args = new ArrayList<>(ApplianceProcess.bootServersOnLoopback());
        args.addAll(List.of(jvmArgs));
        ApplianceProcess process = ApplianceProcess.launch(cwd, args, Map.of(), keyboard);
        processes.add(process);
        return process;
    }
}
