package io.metalforge.preseed.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real validators: cloud-init's schema check and netplan's generator. A missing tool fails the test with the
 * Debian package to install; nothing is installed from here.
 */
final class RealTools {

    record Result(int rc, String output) {
    }

    private RealTools() {
    }

    static Path require(String tool, String aptPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("'" + tool + "' is not installed: this test needs the real validator; install it with"
                + " `apt-get install -y " + aptPackage + "`");
    }

    static Result run(List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail(command.get(0) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** `cloud-init schema -c FILE`, the command-line gate. */
    static Result cloudInitSchema(Path file) {
        return run(List.of(require("cloud-init", "cloud-init").toString(), "schema", "-c", file.toString()), 60);
    }

    /**
     * Many files through cloud-init's own validator in one interpreter (the one cloud-init's launcher names), since
     * each `cloud-init schema` call spends about a second starting up.
     */
    static Result cloudInitSchemaBatch(List<Path> files, Path work) throws IOException {
        Path launcher = require("cloud-init", "cloud-init");
        String shebang = Files.readAllLines(launcher).get(0);
        if (!shebang.startsWith("#!")) {
            return fail(launcher + " is not a script; cannot find cloud-init's interpreter");
        }
        Path script = work.resolve("validate_cloud_configs.py");
        try (InputStream in = RealTools.class.getResourceAsStream("validate_cloud_configs.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(shebang.substring(2).trim().split("\\s+")));
        cmd.add(script.toString());
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd, 300);
    }

    /** `netplan generate --root-dir` on one document in a fresh root. */
    static Result netplanGenerate(String yaml, Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("etc/netplan"));
        Path file = dir.resolve("50-cloud-init.yaml");
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return run(List.of(require("netplan", "netplan.io").toString(), "generate", "--root-dir", root.toString()),
                60);
    }
}
