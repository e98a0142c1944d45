package io.metalforge.metadata.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import io.metalforge.api.deploy.ConfigDocument;
import io.metalforge.api.deploy.YamlScalars;
import io.metalforge.api.machine.NodeDeployment;

/**
 * The documents the metadata service serves, built from a deployment's composed configuration: the preseed
 * (cloud-config of the ephemeral environment with the MAAS datasource and the node token, as MAAS's curtin preseed)
 * and curtin's configuration (the composer's curtin documents merged as curtin merges them, plus the image source).
 */
final class Documents {

    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .stringQuotingChecker(new Yaml11Strings())
            .build());
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private Documents() {
    }

    /**
     * The documents served here are re-written from the composer's (curtin merges them; the preseed adds the
     * datasource), so they get the composer's rule too: PyYAML must read every string back as written.
     */
    private static final class Yaml11Strings extends StringQuotingChecker {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteName(String name) {
            return !YamlScalars.mayBePlain(name) || Default.instance().needToQuoteName(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return !YamlScalars.mayBePlain(value) || Default.instance().needToQuoteValue(value);
        }
    }

    /**
     * MAAS's get_preseed for a deploying machine: the MAAS datasource reading {@code <server>/metadata/curtin}
     * (or {@code <server>/metadata/} once the deployment is over) with the node token, then the ephemeral
     * cloud-config (reporting webhook, packages, power_state).
     */
    static String preseed(NodeDeployment d, boolean installing) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> maas = new LinkedHashMap<>();
        maas.put("consumer_key", d.consumerKey());
        maas.put("metadata_url", d.serverUrl() + (installing ? "metadata/curtin" : "metadata/"));
        maas.put("token_key", d.tokenKey());
        maas.put("token_secret", d.tokenSecret());
        doc.put("datasource", Map.of("MAAS", maas));
        doc.put("datasource_list", java.util.List.of("MAAS"));
        for (ConfigDocument c : d.config().documents(ConfigDocument.Kind.CLOUD_CONFIG)) {
            if (c.name().equals("cloud-config-ephemeral")) {
                doc.putAll(read(c.content()));
            }
        }
        return "#cloud-config\n" + write(doc);
    }

    /** The curtin configuration: the composer's curtin documents deep-merged in order, with the image source. */
    static String curtin(NodeDeployment d) {
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("sources", Map.of("00_image", d.config().sourceUrl()));
        for (ConfigDocument c : d.config().documents(ConfigDocument.Kind.CURTIN)) {
            merge(merged, read(c.content()));
        }
        return write(merged);
    }

    /** curtin's merge: mappings merge key by key, anything else is replaced by the later document's value. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (old instanceof Map<?, ?> oldMap && e.getValue() instanceof Map<?, ?> newMap) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) oldMap);
                merge(copy, (Map<String, Object>) newMap);
                into.put(e.getKey(), copy);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    /** MAAS's vendor-data: a mapping whose "cloud-init" entry is a cloud-config for the machine. */
    static String vendorData() {
        return write(Map.of("cloud-init", "#cloud-config\nmanage_etc_hosts: true\n"));
    }

    static Map<String, Object> read(String text) {
        try {
            Map<String, Object> doc = YAML.readValue(text, MAP);
            return doc == null ? new LinkedHashMap<>() : doc;
        } catch (IOException e) {
            throw new UncheckedIOException("composed document is not YAML: " + e.getMessage(), e);
        }
    }

    static String write(Object doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
