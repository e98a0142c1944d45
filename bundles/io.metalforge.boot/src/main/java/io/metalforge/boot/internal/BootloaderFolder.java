package io.metalforge.boot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.metalforge.api.boot.BootFile;

/**
 * Bootloader files an operator drops into a folder (Debian's lpxelinux.0, *.c32, ipxe.efi, grubnetx64.efi, ...),
 * served at their path relative to it. Nothing outside the folder is ever served, symbolic links included.
 */
final class BootloaderFolder {

    /** Most files listed by {@link #list()}. */
    static final int LIST_LIMIT = 500;

    private final Path root;

    BootloaderFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The file at {@code relative} (already cleaned of "." and ".." segments). */
    Optional<BootFile> find(String relative) {
        if (relative.isEmpty() || relative.endsWith("/")) {
            return Optional.empty();
        }
        try {
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root) || !Files.isDirectory(root)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                return Optional.empty();
            }
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new LocalFile(real, a.size(), a.lastModifiedTime().toInstant()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // absent or unreadable: the client gets "not found"
        }
    }

    /** Relative paths of the files present, sorted, at most {@link #LIST_LIMIT}. */
    List<String> list() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(root, 4)) {
            files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/')).sorted()
                    .limit(LIST_LIMIT).forEach(names::add);
        } catch (IOException | RuntimeException e) {
            // unreadable folder: reported as empty
        }
        return names;
    }
}
