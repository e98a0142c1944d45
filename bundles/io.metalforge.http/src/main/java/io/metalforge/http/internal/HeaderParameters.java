package io.metalforge.http.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of a header value such as {@code form-data; name="k"; filename="f"} or
 * {@code multipart/form-data; boundary="===============123=="}: names lowercased, quoted values unquoted
 * (backslash escapes honoured). The value before the first ";" is stored under "".
 */
final class HeaderParameters {

    private HeaderParameters() {
    }

    static Map<String, String> parse(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        int i = 0;
        int n = header.length();
        int semi = indexOfUnquoted(header, ';', 0);
        out.put("", header.substring(0, semi < 0 ? n : semi).strip().toLowerCase(Locale.ROOT));
        i = semi < 0 ? n : semi + 1;
        while (i < n) {
            int eq = header.indexOf('=', i);
            int nextSemi = indexOfUnquoted(header, ';', i);
            if (eq < 0 || (nextSemi >= 0 && nextSemi < eq)) {
                i = nextSemi < 0 ? n : nextSemi + 1; // a flag without value: ignored
                continue;
            }
            String name = header.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < n && header.charAt(j) == ' ') {
                j++;
            }
            StringBuilder value = new StringBuilder();
            if (j < n && header.charAt(j) == '"') {
                j++;
                while (j < n && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = header.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                j++; // closing quote
                int end = indexOfUnquoted(header, ';', Math.min(j, n));
                i = end < 0 ? n : end + 1;
            } else {
                int end = indexOfUnquoted(header, ';', j);
                value.append(header, j, end < 0 ? n : end);
                i = end < 0 ? n : end + 1;
            }
            if (!name.isEmpty()) {
                out.putIfAbsent(name, value.toString().strip());
            }
        }
        return out;
    }

    private static int indexOfUnquoted(String s, char target, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == target && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
