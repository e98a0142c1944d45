package io.metalforge.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON tree written compactly with every object's keys in order: the same bytes for the same content, whatever
 * order it was built in, so that a hash of it (the API hash) is stable. It writes what Jackson's mapper writes for
 * the tree turned into maps with {@code ORDER_MAP_ENTRIES_BY_KEYS}, without the mapper: turning the tree into maps
 * and serialising them loaded and generated enough of Jackson's classes to make up a quarter of the first API
 * request a fresh JVM answers.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static byte[] bytes(JsonNode node) {
        StringBuilder out = new StringBuilder(4096);
        write(node, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quoted(keys.get(i), out);
                out.append(':');
                write(node.get(keys.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            quoted(node.textValue(), out);
        } else if (node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isNumber() || node.isBoolean()) {
            out.append(node.asText());
        } else {
            throw new IllegalArgumentException("no canonical form for a JSON node of type " + node.getNodeType());
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** As Jackson writes a string into UTF-8: its standard escapes, and the halves of a surrogate pair as \\uXXXX. */
    private static void quoted(String text, StringBuilder out) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                JsonStringEncoder.getInstance().quoteAsString(text.substring(from, i), out);
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                        .append(HEX[c & 15]);
                from = i + 1;
            }
        }
        JsonStringEncoder.getInstance().quoteAsString(text.substring(from), out);
        out.append('"');
    }
}
