package io.metalforge.http.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders that hold what clients sent (spooled form parts may carry keyrings) are private to the service's user:
 * created 0700, and tightened to 0700 when found open. Files in them are made by {@link Files#createTempFile}, which
 * is 0600 on POSIX file systems.
 */
final class SecretFiles {

    static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {
    }

    static void createPrivateDirectories(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
        }
        try {
            if (!Files.getPosixFilePermissions(folder).equals(PRIVATE_FOLDER)) {
                Files.setPosixFilePermissions(folder, PRIVATE_FOLDER);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }
}
