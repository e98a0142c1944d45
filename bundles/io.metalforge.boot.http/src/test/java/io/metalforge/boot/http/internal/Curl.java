package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl with a time limit and returns its stdout (and exit code). */
final class Curl {

    record Result(int exit, String out, String err) {
    }

    private Curl() {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err,
                StandardCharsets.UTF_8));
    }

    /** Downloads to a file; returns the HTTP status curl saw. */
    static int download(String url, Path to, String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(List.of("-o", to.toString(), "-w", "%{http_code}", url));
        return Integer.parseInt(run(args.toArray(String[]::new)).out().trim());
    }
}
