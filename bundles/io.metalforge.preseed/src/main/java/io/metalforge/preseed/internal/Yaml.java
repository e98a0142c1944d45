package io.metalforge.preseed.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * YAML in and out, through Jackson's YAML format (snakeyaml underneath). Documents are ordered maps. Every string is
 * written so that a YAML 1.1 reader (PyYAML, as in curtin and cloud-init) loads the same string: see
 * {@link StringsStayStrings}.
 */
final class Yaml {

    private static final ObjectMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .stringQuotingChecker(new StringsStayStrings())
            .build());
    private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT = new TypeReference<>() {
    };

    private Yaml() {
    }

    static String write(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one mapping document; an empty text is an empty map. */
    static Map<String, Object> read(String text) throws IOException {
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> doc = MAPPER.readValue(text, DOCUMENT);
        return doc == null ? new LinkedHashMap<>() : doc;
    }

    /** A cloud-config text: the header cloud-init requires, then the YAML. */
    static String cloudConfig(Object document) {
        return "#cloud-config\n" + write(document);
    }
}
