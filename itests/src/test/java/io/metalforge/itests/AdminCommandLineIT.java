package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * {@code bin/metalforge-admin} run as an operator runs it, as a process on the exported jar: it refuses a folder
 * without an installation (saying where it looked and how to point it elsewhere), creates one only for
 * createadmin, and ends as soon as its command is done.
 */
public class AdminCommandLineIT {

    /** Output, error and exit code of one run, and how long it took. */
    record Run(String out, String err, int code, long millis) {
    }

    @Test
    public void aFolderWithoutDataIsRefusedNamingTheFolderAndNothingIsCreated() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-admin");
        Run users = admin(cwd, null, "users");
        assertEquals(users.toString(), 3, users.code());
        String where = cwd.toRealPath().resolve("var").toString();
        assertTrue(users.err(), users.err().contains("no Metalforge data in " + where));
        assertTrue(users.err(), users.err().contains("METALFORGE_DATA=/path/to/var bin/metalforge-admin users"));
        assertEquals("", users.out());
        assertFalse("nothing created", Files.exists(cwd.resolve("var")));
        assertFalse("nothing created", Files.exists(cwd.resolve("deploy")));
    }

    @Test
    public void createadminStartsANewInstallationSayingSoAndLaterCommandsUseIt() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-admin");
        Run create = admin(cwd, null, "createadmin", "admin");
        assertEquals(create.toString(), 0, create.code());
        assertTrue(create.err(), create.err().contains("no Metalforge data in " + cwd.toRealPath().resolve("var")
                + "; creating a new installation there"));
        assertTrue(create.out(), create.out().startsWith("Administrator admin created."));
        assertTrue(create.out(), create.out().strip().lines().reduce((a, b) -> b).orElseThrow()
                .matches("[A-Za-z0-9]+:[A-Za-z0-9]+:[A-Za-z0-9]+"));

        Run users = admin(cwd, null, "users");
        assertEquals(users.toString(), 0, users.code());
        assertTrue(users.out(), users.out().contains("admin"));
        assertFalse(users.out(), users.out().contains("No users"));

        // the data folder named by METALFORGE_DATA, from anywhere
        Path elsewhere = Files.createTempDirectory("metalforge-admin-elsewhere");
        Run pointed = admin(elsewhere, cwd.resolve("var"), "users");
        assertEquals(pointed.toString(), 0, pointed.code());
        assertTrue(pointed.out(), pointed.out().contains("admin"));

        // a usage error keeps its own status
        Run bad = admin(cwd, null, "apikey", "frobnicate");
        assertEquals(bad.toString(), 2, bad.code());
    }

    @Test
    public void theCommandModeEndsWhenItsCommandIsDone() throws Exception {
        Path cwd = Files.createTempDirectory("metalforge-admin");
        admin(cwd, null, "createadmin", "admin");
        // once ready, the command runs and the framework stops: no fixed wait before or after it. The bound is
        // generous for a shared CI machine; what it catches is a mode that waits for a timeout instead of ending.
        Run users = admin(cwd, null, "users");
        assertEquals(users.toString(), 0, users.code());
        assertTrue("ended " + users.millis() + " ms after start", users.millis() < 60_000);
    }

    private static Run admin(Path cwd, Path data, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("metalforge.admin.script")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().put("METALFORGE_JAR", System.getProperty("metalforge.distribution.jar"));
        pb.environment().remove("METALFORGE_DEPLOY");
        pb.environment().remove("METALFORGE_DATA");
        if (data != null) {
            pb.environment().put("METALFORGE_DATA", data.toString());
        }
        File out = Files.createTempFile("admin-out", ".txt").toFile();
        File err = Files.createTempFile("admin-err", ".txt").toFile();
        pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(200, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/metalforge-admin " + String.join(" ", args) + " did not end");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try {
            return new Run(Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8), p.exitValue(), millis);
        } finally {
            // read once; left behind, every run of this test added two files to the temporary folder
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }
}
