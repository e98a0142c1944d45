package io.metalforge.api.deploy;

import java.util.Locale;
import java.util.Set;

/**
 * Which strings every YAML document Metalforge writes for an installer (curtin, cloud-init, netplan) may leave as
 * plain scalars. curtin and cloud-init load them with PyYAML, which follows YAML 1.1: there a plain
 * {@code 52:54:00:12:34:56} is a base-60 integer, {@code 0x1a2b3c14}, {@code 1_000}, {@code 0b1010} and {@code 0777}
 * are integers, {@code .inf} and {@code 1.5} floats, {@code 2024-01-01} a date, {@code yes} and {@code off} booleans,
 * {@code ~} a null and {@code <<} a merge key. Rather than list those shapes, a string stays plain only when no YAML
 * 1.1 or 1.2 resolver can claim it: its first character is an ASCII letter or a slash (every numeric, date, null,
 * merge and value form starts with a digit, a sign, a dot, {@code ~}, {@code <} or {@code =}), and it is not one of
 * the boolean or null words (compared ignoring case). Every writer asks this one rule, so no path a document takes
 * (composed, merged, served) writes a string PyYAML reads back as something else.
 */
public final class YamlScalars {

    /** Words some YAML 1.1 or 1.2 schema resolves to a boolean or null, in lower case. */
    private static final Set<String> WORDS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    private YamlScalars() {
    }

    /** Whether {@code s} may be written unquoted (syntax permitting) and still load as the same string. */
    public static boolean mayBePlain(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        boolean safeStart = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '/';
        return safeStart && !WORDS.contains(s.toLowerCase(Locale.ROOT));
    }
}
