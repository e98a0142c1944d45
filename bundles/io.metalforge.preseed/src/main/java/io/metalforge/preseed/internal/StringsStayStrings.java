package io.metalforge.preseed.internal;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Which strings may be written as plain YAML scalars. curtin and cloud-init load our documents with PyYAML, which
 * follows YAML 1.1: there a plain {@code 52:54:00:12:34:56} is a base-60 integer, {@code 0x1a2b3c14}, {@code 1_000},
 * {@code 0b1010} and {@code 0777} are integers, {@code .inf} and {@code 1.5} floats, {@code 2024-01-01} a date,
 * {@code yes} and {@code off} booleans, {@code ~} a null and {@code <<} a merge key. Rather than list those shapes,
 * a string stays plain only when no YAML 1.1 or 1.2 resolver can claim it: its first character is an ASCII letter or
 * a slash (every numeric, date, null, merge and value form starts with a digit, a sign, a dot, {@code ~}, {@code <}
 * or {@code =}), and it is not one of the boolean or null words (compared ignoring case, so that the YAML 1.1 spec's
 * {@code y}/{@code n} and odd spellings are quoted too). Everything else is double-quoted; Jackson's own rules still
 * quote plain-looking text that YAML syntax would misread ({@code a: b}, {@code a #b}).
 */
final class StringsStayStrings extends StringQuotingChecker {

    private static final long serialVersionUID = 1L;

    /** Words some YAML 1.1 or 1.2 schema resolves to a boolean or null, in lower case. */
    private static final Set<String> WORDS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    private static final StringQuotingChecker SYNTAX = StringQuotingChecker.Default.instance();

    @Override
    public boolean needToQuoteName(String name) {
        return !mayBePlain(name) || SYNTAX.needToQuoteName(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return !mayBePlain(value) || SYNTAX.needToQuoteValue(value);
    }

    static boolean mayBePlain(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        boolean safeStart = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '/';
        return safeStart && !WORDS.contains(s.toLowerCase(Locale.ROOT));
    }
}
