package io.metalforge.boot.grub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** GRUB's own parser (grub-script-check, Debian grub-common) reads a rendered config. */
final class GrubScriptCheck {

    private GrubScriptCheck() {
    }

    static void assertValid(String config) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("grub-script-check").redirectErrorStream(true).start();
        p.getOutputStream().write(config.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "grub-script-check refused:\n" + config + "\n" + out);
    }
}
