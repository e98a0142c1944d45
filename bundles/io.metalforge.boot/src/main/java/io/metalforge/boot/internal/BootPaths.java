package io.metalforge.boot.internal;

import java.util.Optional;

/**
 * Request paths as the boot service compares them: '\' is '/' (as MAAS's TFTP backend does), no leading '/', and no
 * segment that could leave a folder. Paths arrive URL-decoded from the servers.
 */
final class BootPaths {

    /** Longest path accepted; firmware never sends more. */
    static final int MAX_LENGTH = 1024;

    private BootPaths() {
    }

    /** The clean relative path, or empty when it is too long, has a NUL, or a "." or ".." segment. */
    static Optional<String> clean(String path) {
        if (path == null || path.length() > MAX_LENGTH || path.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String p = path.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        // each segment checked in place (every boot request passes here: no array of segment strings)
        int start = 0;
        while (true) {
            int end = p.indexOf('/', start);
            int stop = end < 0 ? p.length() : end;
            int length = stop - start;
            if ((length == 1 || length == 2 && p.charAt(start + 1) == '.') && p.charAt(start) == '.') {
                return Optional.empty();
            }
            if (end < 0) {
                return Optional.of(p);
            }
            start = end + 1;
        }
    }
}
