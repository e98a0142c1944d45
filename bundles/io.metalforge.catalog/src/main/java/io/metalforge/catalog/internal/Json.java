package io.metalforge.catalog.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.metalforge.api.inspect.ImageReport;

/** JSON columns: extra maps and doctor reports. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /*
     * A reader made once keeps the deserializer it found, where readValue(String, TypeReference) resolved the type
     * and looked the deserializer up again at every row: a sync reads these columns once per file and per resource,
     * on its import thread. Reports keep the mapper's readValue: a reader fetches its deserializer as it is made,
     * and building the report's (bean introspection) cost a fresh JVM's sync 0.2 s although it reads no report.
     */
    private static final ObjectReader STRINGS = MAPPER.readerFor(new TypeReference<TreeMap<String, String>>() {
    });
    private static final String EMPTY = "{}";

    private Json() {
    }

    static String write(Object value) {
        if (value instanceof Map<?, ?> m && m.isEmpty()) {
            return EMPTY; // what the mapper writes for it, and most files' extra
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> map(String json) {
        if (json == null || json.isBlank() || json.equals(EMPTY)) {
            return Map.of();
        }
        try {
            return STRINGS.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageReport report(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readValue(json, ImageReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
