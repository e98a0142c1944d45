package io.metalforge.simplestreams.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates the benchmark's signed mirror: {@code BenchMirror OUT_DIR TOTAL_MIB [FILES]}. Without FILES: four Ubuntu
 * products (kernel, initrd, squashfs each, so 12 payload files) share the payload, mostly in the squashfs files.
 * With FILES (a multiple of 3): FILES / 3 products of one release under subarches of their own, every file
 * TOTAL_MIB / FILES in size, which measures what a sync spends per file rather than per byte. The public keyring
 * goes to OUT_DIR/keyring.gpg.
 */
public final class BenchMirror {

    private BenchMirror() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long total = Long.parseLong(args[1]) << 20;
        int files = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        if (files < 0 || files % 3 != 0) {
            throw new IllegalArgumentException("FILES must be a multiple of 3 (kernel, initrd, squashfs per product)");
        }
        try (Gpg gpg = new Gpg(out.resolve("gnupg"), "Metalforge bench stream <bench@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(out.resolve("mirror"), gpg);
            if (files > 0) {
                int each = (int) (total / files);
                for (int p = 1; p <= files / 3; p++) {
                    f.ubuntu("24.04", "noble", "amd64", "20250709", String.format("bench%03d", p), each, each, each);
                }
            } else {
                String[][] products = {{"20.04", "focal"}, {"22.04", "jammy"}, {"24.04", "noble"}, {"25.04", "plucky"}};
                long per = total / products.length;
                int kernel = (int) (per * 25 / 1000);
                int initrd = (int) (per * 140 / 1000);
                long squashfs = per - kernel - initrd;
                for (String[] p : products) {
                    f.ubuntu(p[0], p[1], "amd64", "20250709", kernel, initrd, squashfs);
                }
            }
            f.publish();
            Files.write(out.resolve("keyring.gpg"), gpg.exportPublic(false));
        }
        System.out.println("mirror ready: " + out.resolve("mirror"));
    }
}
