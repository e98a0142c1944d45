package io.metalforge.simplestreams.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Extracts bootloader archives ({@code archive.tar.xz}) to {@code bootloaders/<type>/<arch>/}: regular files and
 * directories only, never outside the target (no links, no absolute or ".." names), streamed.
 */
final class BootloaderExtractor {

    private static final long MAX_TOTAL = 1L << 30;

    private BootloaderExtractor() {
    }

    /** Extracts into a fresh directory next to {@code target} and swaps it in, so readers never see half. */
    static void extract(InputStream archive, Path target) throws IOException {
        Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
        Path fresh = Files.createTempDirectory(parent, ".extract-");
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null;) {
                String name = e.getName();
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                Path out = fresh.resolve(name).normalize();
                if (!out.startsWith(fresh) || name.startsWith("/")) {
                    throw new IOException("Bootloader archive entry '" + e.getName() + "' points outside its folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isFile()) {
                    total += e.getSize();
                    if (total > MAX_TOTAL) {
                        throw new IOException("Bootloader archive expands beyond 1 GiB");
                    }
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
                // links and devices are skipped: bootloader files are regular files
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(fresh);
            throw e instanceof IOException io ? io : new IOException("Corrupt bootloader archive: " + e, e);
        }
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(parent, ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.createDirectories(target.getParent());
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
