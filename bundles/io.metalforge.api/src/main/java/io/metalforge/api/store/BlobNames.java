package io.metalforge.api.store;

import java.util.Collection;
import java.util.Locale;

/**
 * Names derived from sha256 values. MAAS stores each file under its "short sha": the shortest prefix of at least 7 hex
 * characters that no other stored sha256 shares, and the serving URLs depend on it.
 */
public final class BlobNames {

    /** Shortest short-sha length. */
    public static final int MIN_PREFIX = 7;

    private BlobNames() {
    }

    /** Whether {@code value} is 64 lower-case hex characters. */
    public static boolean isSha256(String value) {
        return value != null && value.length() == 64 && lowerHex(value);
    }

    /**
     * Whether {@code value} can name a blob by its short sha: {@link #MIN_PREFIX} to 64 lower-case hex characters.
     *
     * @since 1.3
     */
    public static boolean isShortSha(String value) {
        return value != null && value.length() >= MIN_PREFIX && value.length() <= 64 && lowerHex(value);
    }

    // a loop, not a regex: the boot server checks a short sha on every image request
    private static boolean lowerHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Lower-cases and checks a sha256; throws IllegalArgumentException naming the bad value. */
    public static String requireSha256(String value) {
        String lower = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (!isSha256(lower)) {
            throw new IllegalArgumentException("Not a sha256 (64 hex characters): " + value);
        }
        return lower;
    }

    /**
     * The shortest prefix of {@code sha256}, at least {@link #MIN_PREFIX} characters, that is not a prefix of any
     * other value in {@code others}. Entries of {@code others} equal to {@code sha256} are ignored (the same content
     * shares its name).
     */
    public static String shortestUniquePrefix(String sha256, Collection<String> others) {
        String sha = requireSha256(sha256);
        int length = MIN_PREFIX;
        for (String other : others) {
            if (other == null || other.equals(sha)) {
                continue;
            }
            int common = commonPrefix(sha, other.toLowerCase(Locale.ROOT));
            length = Math.max(length, common + 1);
        }
        return sha.substring(0, Math.min(length, sha.length()));
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
