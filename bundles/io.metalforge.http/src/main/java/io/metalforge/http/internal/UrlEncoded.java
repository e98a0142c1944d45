package io.metalforge.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.metalforge.api.http.ApiException;

/** Decodes query strings and application/x-www-form-urlencoded bodies; repeated keys keep every value in order. */
final class UrlEncoded {

    private UrlEncoded() {
    }

    static Map<String, List<String>> parse(String encoded) throws ApiException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) throws ApiException {
        try {
            // ISO-8859-1 keeps the bytes; percent-escapes are UTF-8
            String raw = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed percent-encoding in '" + s + "'.");
        }
    }
}
