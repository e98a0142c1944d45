package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real GnuPG in a throwaway home: makes keys and signatures for the tests. Needs the apt package gnupg. */
final class Gpg implements AutoCloseable {

    final Path home;

    Gpg(Path dir, String uid) throws IOException {
        home = Files.createDirectories(dir);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        run("--quick-generate-key", uid, "ed25519", "sign", "never");
    }

    void clearSign(Path in, Path out) throws IOException {
        run("--yes", "--clearsign", "--output", out.toString(), in.toString());
    }

    void detachSign(Path in, Path out, boolean armor, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("--yes", "--detach-sign", "--output", out.toString()));
        args.addAll(List.of(options));
        if (armor) {
            args.add(0, "--armor");
        }
        args.add(in.toString());
        run(args.toArray(String[]::new));
    }

    byte[] exportPublic(boolean armor) throws IOException {
        Path out = Files.createTempFile(home, "export", armor ? ".asc" : ".gpg");
        Files.delete(out);
        if (armor) {
            run("--armor", "--output", out.toString(), "--export");
        } else {
            run("--output", out.toString(), "--export");
        }
        return Files.readAllBytes(out);
    }

    private void run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--quiet",
                "--no-auto-check-trustdb", "--pinentry-mode", "loopback", "--passphrase", ""));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("gpg is not installed: install the apt package 'gnupg'", e);
        }
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("gpg " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent").start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // the agent exits on its own when its home goes away
        }
    }
}
