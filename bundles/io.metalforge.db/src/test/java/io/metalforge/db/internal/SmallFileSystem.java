package io.metalforge.db.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system for disk-full tests: a tmpfs with a size limit, mounted for the test (needs root, as
 * CI's {@code .ci/run} runs). When it cannot be mounted the test fails with the reason: a skipped disk-full test
 * would hide that the data-safety promise went unchecked. Shared with other bundles' tests through the test jar.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path root;

    private SmallFileSystem(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code mebibytes} at {@code where} (created), mode 0700. */
    public static SmallFileSystem mount(Path where, int mebibytes) throws IOException, InterruptedException {
        Files.createDirectories(where);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "tmpfs", where.toString());
        if (out != null) {
            throw new IllegalStateException("Cannot mount a " + mebibytes + " MiB tmpfs at " + where
                    + " for the disk-full test (it needs root, as .ci/run runs): " + out);
        }
        return new SmallFileSystem(where);
    }

    public Path root() {
        return root;
    }

    /** Fills the file system with another writer's file, as an upload or a log could. */
    public void fill() throws IOException, InterruptedException {
        run("sh", "-c", "dd if=/dev/zero of=" + filler() + " bs=16k 2>/dev/null; sync; true");
        if (root.toFile().getUsableSpace() > 64 * 1024) {
            throw new IllegalStateException("dd left " + root.toFile().getUsableSpace() + " bytes free on " + root);
        }
    }

    /** Removes what {@link #fill()} wrote. */
    public void free() throws IOException {
        Files.deleteIfExists(filler());
    }

    private Path filler() {
        return root.resolve("filler");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", root.toString());
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + ": timed out";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + out;
    }
}
