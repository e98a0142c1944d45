package io.metalforge.db.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Keeps the embedded database's folder private to the service's user (0700) and its files 0600, whatever the umask
 * was when H2 created them. On a file system without POSIX permissions nothing is changed.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    static void createPrivateDirectories(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            try {
                Files.setPosixFilePermissions(folder, FOLDER);
            } catch (UnsupportedOperationException e) {
                // not POSIX: the file system's own rules apply
            }
        }
    }

    /** Closes {@code folder} and its files to other users, saying so through {@code warn} when they were open. */
    static void protect(Path folder, Consumer<String> warn) {
        try {
            tighten(folder, FOLDER, warn);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        tighten(f, FILE, warn);
                    }
                }
            }
        } catch (UnsupportedOperationException e) {
            // not POSIX
        } catch (IOException e) {
            warn.accept("Cannot check the permissions of " + folder + ": " + e.getMessage());
        }
    }

    private static void tighten(Path p, Set<PosixFilePermission> wanted, Consumer<String> warn) throws IOException {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(p);
        if (now.stream().anyMatch(x -> !wanted.contains(x))) {
            warn.accept(p + " was readable or writable by other users (" + PosixFilePermissions.toString(now)
                    + "); it holds secrets and is now " + PosixFilePermissions.toString(wanted) + ".");
            Files.setPosixFilePermissions(p, wanted);
        }
    }
}
