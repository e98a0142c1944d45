package io.metalforge.inspect.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.Severity;

/**
 * Tar members that would write outside the target root or create devices when curtin extracts the image: absolute
 * names, names with "..", symbolic links whose relative target leaves the root, members written through an earlier
 * symbolic link (the classic "link to /etc, then link/cron.d/x"), hard links to paths outside the root, and device
 * nodes. A root tarball made by tar from a real tree has none of these. Memory is bounded: symbolic links are
 * remembered as 64-bit hashes, at most {@link #MAX_LINKS_TRACKED} of them, and at most {@link #MAX_LISTED} names are
 * kept for the report.
 */
final class HostileMembers {

    static final int MAX_LISTED = 16;
    static final int MAX_LINKS_TRACKED = 1_000_000;

    private final List<String> listed = new ArrayList<>();
    private long count;
    private final Set<Long> symlinks = new HashSet<>();

    /** Looks at one member; {@code entry.name()} is its name as stored, {@code entry.path()} the normalised one. */
    void check(TarScanner.Entry entry) {
        String name = entry.name();
        String stored = stripDotSlash(name);
        List<String> why = new ArrayList<>(2);
        if (stored.startsWith("/")) {
            why.add("absolute path");
        } else if (hasDotDot(stored)) {
            why.add("\"..\" in the path");
        } else if (writesThroughSymlink(entry.path())) {
            why.add("written through an earlier symbolic link");
        }
        switch (entry.type()) {
            case '2' -> {
                if (!entry.linkTarget().startsWith("/") && escapes(parent(entry.path()), entry.linkTarget())) {
                    why.add("symbolic link to " + entry.linkTarget() + ", outside the image root");
                }
                if (symlinks.size() < MAX_LINKS_TRACKED) {
                    symlinks.add(hash(entry.path()));
                }
            }
            case '1' -> {
                String target = stripDotSlash(entry.linkTarget());
                if (target.startsWith("/") || escapes("", target)) {
                    why.add("hard link to " + entry.linkTarget() + ", outside the image root");
                }
            }
            case '3', '4' -> why.add((entry.type() == '3' ? "character" : "block") + " device node");
            default -> {
                // files, directories, fifos
            }
        }
        if (!why.isEmpty()) {
            flag(name, String.join(", ", why));
        }
    }

    /** A rejection naming the members, or empty when there were none. */
    Optional<Finding> finding() {
        if (count == 0) {
            return Optional.empty();
        }
        String more = count > listed.size() ? ", and " + (count - listed.size()) + " more" : "";
        return Optional.of(new Finding(Severity.REJECTED, "rejected as hostile: " + count + " tar member"
                + (count == 1 ? "" : "s") + " would be written outside the image root or create devices when "
                + "extracted: " + String.join("; ", listed) + more));
    }

    private void flag(String name, String why) {
        count++;
        if (listed.size() < MAX_LISTED) {
            String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
            listed.add(shown + " (" + why + ")");
        }
    }

    private boolean writesThroughSymlink(String path) {
        if (symlinks.isEmpty()) {
            return false;
        }
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            if (symlinks.contains(hash(path.substring(0, slash)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether resolving {@code target} from the directory {@code dir} (both relative to the root) leaves it. */
    static boolean escapes(String dir, String target) {
        Deque<String> at = new ArrayDeque<>();
        for (String part : dir.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                at.addLast(part);
            }
        }
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (at.isEmpty()) {
                    return true;
                }
                at.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                at.addLast(part);
            }
        }
        return false;
    }

    private static boolean hasDotDot(String path) {
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String stripDotSlash(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** FNV-1a, 64 bits: enough to tell a rootfs's paths apart without keeping them. */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
