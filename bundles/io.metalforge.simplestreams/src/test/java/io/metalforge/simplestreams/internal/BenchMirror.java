package io.metalforge.simplestreams.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates the benchmark's signed mirror: {@code BenchMirror OUT_DIR TOTAL_MIB}. Four Ubuntu products (kernel,
 * initrd, squashfs each, so 12 payload files) share the payload; the public keyring goes to OUT_DIR/keyring.gpg.
 */
public final class BenchMirror {

    private BenchMirror() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long total = Long.parseLong(args[1]) << 20;
        String[][] products = {{"20.04", "focal"}, {"22.04", "jammy"}, {"24.04", "noble"}, {"25.04", "plucky"}};
        long per = total / products.length;
        int kernel = (int) (per * 25 / 1000);
        int initrd = (int) (per * 140 / 1000);
        long squashfs = per - kernel - initrd;
        try (Gpg gpg = new Gpg(out.resolve("gnupg"), "Metalforge bench stream <bench@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(out.resolve("mirror"), gpg);
            for (String[] p : products) {
                f.ubuntu(p[0], p[1], "amd64", "20250709", kernel, initrd, squashfs);
            }
            f.publish();
            Files.write(out.resolve("keyring.gpg"), gpg.exportPublic(false));
        }
        System.out.println("mirror ready: " + out.resolve("mirror"));
    }
}
