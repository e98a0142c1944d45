package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The README's "Quick start" and "Next steps", replayed on a fresh folder, offline, as an operator types them: the
 * exported jar started by the README's command, {@code bin/metalforge}, with its console on pipes, {@code bin/metalforge-admin createadmin admin} run next to it,
 * the README's upload made through the MAAS API with the printed key (OAuth PLAINTEXT, as the maas CLI signs), and
 * the README's shell commands typed at the {@code g!} prompt, down to {@code exit}. Only the ports differ from the
 * README: free loopback ports, so the test never touches 5240, 5248 or 69 of this machine.
 */
public class WalkthroughIT {

    private static final String PROMPT = "g! ";

    private ApplianceProcess appliance;

    @Test
    public void theReadmeQuickStartAndNextStepsWorkOnAFreshFolder() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-walkthrough");
        int apiPort = PlatformOptions.freePort();
        try {
            List<String> launcher = new ArrayList<>(List.of("bash", System.getProperty("metalforge.launcher.script")));
            launcher.addAll(ApplianceProcess.bootServersOnLoopback());
            launcher.add("-Dorg.osgi.service.http.port=" + apiPort);
            appliance = ApplianceProcess.launch(cwd, launcher,
                    Map.of("METALFORGE_JAR", System.getProperty("metalforge.distribution.jar")));

            // Quick start: "You see:" the admin hint, the ready line, the banner, then the prompt, in that order
            String bannerThenPrompt = "Welcome to Apache Felix Gogo\n\n" + PROMPT;
            appliance.await(0, Pattern.compile(Pattern.quote(bannerThenPrompt)), 120);
            String console = appliance.console();
            String first = console.substring(0, console.indexOf(bannerThenPrompt) + bannerThenPrompt.length());
            Matcher seen = Pattern.compile("\\A(metalforge: no administrator yet; create one with "
                    + "`bin/metalforge-admin createadmin NAME` \\(or `metalforge:createadmin NAME` in the shell\\), "
                    + "then `maas login NAME http://HOST:5240/MAAS/ KEY`)\\n"
                    // the one warning of a fresh folder: nothing to netboot PXELINUX or GRUB machines with yet
                    + "(WARNING \\[io\\.metalforge\\.boot\\] No bootloaders found in )/[^\\n]*/var/bootloaders"
                    + "( nor synced: [^\\n]*)\\n"
                    + "(metalforge ready in \\d+ ms)\\n(_{28})\\n(Welcome to Apache Felix Gogo)\\n\\ng! \\z")
                    .matcher(first);
            assertTrue("the console shows the README's \"You see:\" block, nothing else:\n" + first, seen.matches());
            String readme = Files.readString(Path.of(System.getProperty("metalforge.readme")));
            String block = "```\n" + seen.group(1) + "\n" + seen.group(2) + "$PWD/var/bootloaders" + seen.group(3)
                    + "\nmetalforge ready in 1700 ms\n" + seen.group(5) + "\n" + seen.group(6) + "\n\ng!\n```";
            assertTrue("the README shows that block:\n" + block, readme.contains(block));

            // Next steps: bin/metalforge-admin createadmin admin, next to the running appliance, prints the key
            String key = createadmin(cwd, "admin");
            Api api = Api.withKey("http://127.0.0.1:" + apiPort, key);
            Api.Reply empty = api.get("/MAAS/api/2.0/boot-resources/");
            assertEquals(empty.toString(), 200, empty.status());
            assertEquals("a fresh appliance has no boot resources", "[]", empty.body().strip());

            // the README's upload, offline, before anything was synced
            Path golden = goldenTgz(cwd);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("name", "custom/golden");
            form.put("architecture", "amd64/generic");
            form.put("base_image", "ubuntu/noble");
            form.put("filetype", "tgz");
            Api.Reply created = api.postMultipart("/MAAS/api/2.0/boot-resources/", form, "content",
                    Files.readAllBytes(golden));
            assertEquals(created.toString(), 201, created.status());
            Matcher idMatch = Pattern.compile("^\\{\"id\":\\s*(\\d+)|\"resource_uri\":\\s*\"[^\"]*/boot-resources/(\\d+)/")
                    .matcher(created.body());
            assertTrue(created.body(), idMatch.find());
            String id = idMatch.group(1) != null ? idMatch.group(1) : idMatch.group(2);

            Api.Reply listed = api.get("/MAAS/api/2.0/boot-resources/");
            assertTrue(listed.body(), listed.body().contains("\"name\": \"custom/golden\"")
                    || listed.body().contains("\"name\":\"custom/golden\""));
            Api.Reply read = api.get("/MAAS/api/2.0/boot-resources/" + id + "/");
            assertEquals(read.toString(), 200, read.status());
            String resource = read.body().replace(" ", "");
            assertTrue("each file: image_verdict, image_problems: " + read.body(),
                    resource.contains("\"image_verdict\":\"ok\"") && resource.contains("\"image_problems\":[]")
                            && resource.contains("\"image_format\":"));
            Api.Reply report = api.get("/MAAS/api/2.0/boot-resources/" + id + "/?op=report");
            assertEquals(report.toString(), 200, report.status());
            assertTrue("the doctor's full report: " + report.body(), report.body().contains("cloud-init present")
                    && report.body().contains("netplan present") && report.body().contains("os-release: ubuntu 24.04"));

            // in the shell: inspect with the upload's arguments, in the README's order, gives the same verdict
            String inspected = type("metalforge:inspect " + golden + " custom/golden amd64/generic tgz ubuntu/noble");
            // tgz is judged as MAAS's other spelling of it, root-tgz
            assertTrue(inspected, inspected.contains("Judged as:    custom/golden, amd64/generic, root-tgz, base image "
                    + "ubuntu/noble"));
            assertTrue(inspected, inspected.contains("Verdict:      ok (what metalforge:upload would report"));
            String images = type("metalforge:images list");
            assertTrue(images, Pattern.compile("(?m)^" + id + "\\s+Uploaded\\s+custom/golden\\s+amd64/generic\\s+"
                    + "ubuntu/noble\\s+\\S+ complete$").matcher(images).find());
            String help = type("help");
            for (String command : List.of("metalforge:extensions", "metalforge:upload", "metalforge:inspect",
                    "metalforge:images", "metalforge:log", "metalforge:createadmin", "metalforge:startimport")) {
                assertTrue("help lists " + command + ":\n" + help, help.contains(command));
            }
            String helpUpload = type("help metalforge:upload");
            assertTrue(helpUpload, helpUpload.contains("upload - ") && helpUpload.contains("base image"));

            // drop the examples into ./deploy: wired within a second (bounded here by 20 s on a busy machine)
            Path deploy = cwd.resolve("deploy");
            Path rocky = deploy.resolve("rocky.jar");
            Path acme = deploy.resolve("acme.jar");
            Files.copy(Path.of(System.getProperty("metalforge.example.rocky")), rocky);
            Files.copy(Path.of(System.getProperty("metalforge.example.acme")), acme);
            String wired = typeUntil("metalforge:extensions", e -> e.contains("Rocky Linux") && e.contains("acme-pdu"));
            assertTrue(wired, Pattern.compile("(?m)^  rocky\\s+Rocky Linux").matcher(wired).find());
            Files.delete(rocky);
            Files.delete(acme);
            String gone = typeUntil("metalforge:extensions", e -> !e.contains("rocky") && !e.contains("acme-pdu"));
            assertTrue(gone, gone.contains("ubuntu"));

            // exit leaves the console and Metalforge keeps running
            int mark = appliance.mark();
            appliance.type("exit");
            appliance.await(mark, Pattern.compile("Leaving the console; Metalforge keeps running\\. To stop it: stop 0"),
                    20);
            Thread.sleep(2000);
            assertTrue("still running after exit: " + appliance.console(), appliance.isAlive());
            assertEquals("the API still answers after exit", 200, api.get("/MAAS/api/2.0/boot-resources/").status());
            assertFalse("no error in the console: " + appliance.console(), appliance.console().contains("ERROR"));
        } finally {
            if (appliance != null) {
                appliance.close();
            }
        }
    }

    /** Types one line at the prompt; what it printed up to the next prompt. */
    private String type(String line) throws Exception {
        int mark = appliance.mark();
        appliance.type(line);
        appliance.await(mark, Pattern.compile("\\ng! $|^g! $"), 60);
        String out = appliance.console().substring(mark);
        return out.substring(0, out.length() - PROMPT.length());
    }

    /** Types a line again (at most 40 times, at most 20 s) until its output satisfies the condition. */
    private String typeUntil(String line, java.util.function.Predicate<String> condition) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        String out = "";
        for (int i = 0; i < 40 && System.currentTimeMillis() < end; i++) {
            out = type(line);
            if (condition.test(out)) {
                return out;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(line + " never showed what was expected within 20 s; last:\n" + out);
    }

    /** {@code bin/metalforge-admin createadmin NAME} in the appliance's folder; the key it prints on its last line. */
    private static String createadmin(Path cwd, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", System.getProperty("metalforge.admin.script"), "createadmin",
                name).directory(cwd.toFile());
        pb.environment().put("METALFORGE_JAR", System.getProperty("metalforge.distribution.jar"));
        pb.environment().remove("METALFORGE_DEPLOY");
        pb.environment().remove("METALFORGE_DATA");
        // the command mode's boot servers (if it starts them) stay off this machine's 5248 and 69 too
        pb.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", ApplianceProcess.bootServersOnLoopback()));
        File out = Files.createTempFile(cwd, "admin-out", ".txt").toFile();
        File err = Files.createTempFile(cwd, "admin-err", ".txt").toFile();
        pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process admin = pb.start();
        try {
            if (!admin.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("bin/metalforge-admin createadmin did not end within 120 s");
            }
        } finally {
            admin.destroyForcibly();
        }
        String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        assertEquals(printed + Files.readString(err.toPath(), StandardCharsets.UTF_8), 0, admin.exitValue());
        assertTrue(printed, printed.startsWith("Administrator " + name + " created."));
        String key = printed.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue("the key consumer:token:secret: " + printed, key.matches("[A-Za-z0-9]+:[A-Za-z0-9]+:[A-Za-z0-9]+"));
        return key;
    }

    /**
     * The README's golden.tgz as a Packer build of an Ubuntu noble root would leave it, made with the real tar: an
     * os-release, a kernel, cloud-init and netplan. Its programs are stand-ins: an x86-64 ELF header is what the
     * doctor samples to check the architecture.
     */
    private static Path goldenTgz(Path cwd) throws Exception {
        Path root = Files.createDirectories(cwd.resolve("golden-root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"24.04\"\n"
                + "VERSION_CODENAME=noble\n");
        byte[] elf = new byte[64];
        System.arraycopy(new byte[] { 0x7f, 'E', 'L', 'F', 2, 1, 1 }, 0, elf, 0, 7);
        elf[16] = 2; // ET_EXEC
        elf[18] = 0x3e; // EM_X86_64
        elf[20] = 1; // EV_CURRENT
        for (String program : List.of("usr/bin/cloud-init", "usr/sbin/netplan", "usr/bin/bash", "usr/bin/ls")) {
            Files.createDirectories(root.resolve(program).getParent());
            Files.write(root.resolve(program), elf);
        }
        Files.createDirectories(root.resolve("boot"));
        Files.write(root.resolve("boot/vmlinuz-6.8.0-31-generic"), new byte[4096]);
        Path tgz = cwd.resolve("golden.tgz");
        File said = Files.createTempFile(cwd, "tar", ".txt").toFile();
        Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", root.toString(), "--owner=0",
                "--group=0", "etc", "usr", "boot").redirectErrorStream(true).redirectOutput(said).start();
        try {
            assertTrue("tar ended", tar.waitFor(30, TimeUnit.SECONDS));
        } finally {
            tar.destroyForcibly();
        }
        assertEquals(Files.readString(said.toPath()), 0, tar.exitValue());
        return tgz;
    }
}
