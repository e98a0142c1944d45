package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.source.ProductShape;
import io.metalforge.api.source.StreamItem;
import io.metalforge.api.source.StreamProduct;
import io.metalforge.api.source.StreamSourceException;
import io.metalforge.api.source.StreamVersion;
import io.metalforge.api.store.BlobNames;

/** Parses simplestreams index ({@code index:1.0}) and product list ({@code products:1.0}) documents. */
final class StreamJson {

    /** One entry of an index. */
    record IndexEntry(String contentId, String datatype, String format, String path, List<String> products) {
    }

    /** A parsed index. */
    record Index(String updated, List<IndexEntry> entries) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).build());
    }

    /** An item's own fields; the others are its extra attributes. */
    private static final Set<String> ITEM_FIELDS = Set.of("ftype", "path", "sha256", "size");
    private static final Set<String> BOOTLOADER_ITEMS = Set.of("grub2-signed", "shim-signed", "grub2", "syslinux");

    private StreamJson() {
    }

    static Index parseIndex(String url, byte[] json) throws StreamSourceException {
        JsonNode root = read(url, json);
        if (!"index:1.0".equals(root.path("format").asText())) {
            throw new StreamSourceException("Request to '" + url + "' failed: not a simplestreams index (format "
                    + root.path("format").asText("missing") + ")");
        }
        JsonNode index = root.path("index");
        if (!index.isObject()) {
            throw new StreamSourceException("Request to '" + url + "' failed: index has no 'index' object");
        }
        List<IndexEntry> entries = new ArrayList<>();
        for (var it = index.fields(); it.hasNext();) {
            var e = it.next();
            JsonNode n = e.getValue();
            String path = n.path("path").asText("");
            if (path.isEmpty()) {
                throw new StreamSourceException("Request to '" + url + "' failed: entry " + e.getKey() + " has no path");
            }
            List<String> products = new ArrayList<>();
            n.path("products").forEach(p -> products.add(p.asText()));
            entries.add(new IndexEntry(e.getKey(), n.path("datatype").asText(""), n.path("format").asText(""), path,
                    List.copyOf(products)));
        }
        return new Index(root.path("updated").asText(""), List.copyOf(entries));
    }

    /** Products of a product list, each tagged with the shape it validates as; products of no shape are dropped. */
    static List<StreamProduct> parseProducts(String url, byte[] json) throws StreamSourceException {
        JsonNode root = read(url, json);
        if (!"products:1.0".equals(root.path("format").asText())) {
            throw new StreamSourceException("Request to '" + url + "' failed: not a simplestreams product list (format "
                    + root.path("format").asText("missing") + ")");
        }
        JsonNode products = root.path("products");
        if (!products.isObject()) {
            throw new StreamSourceException("Request to '" + url + "' failed: product list has no 'products' object");
        }
        List<StreamProduct> result = new ArrayList<>();
        for (var it = products.fields(); it.hasNext();) {
            var e = it.next();
            StreamProduct p = product(url, e.getKey(), e.getValue());
            if (p != null) {
                result.add(p);
            }
        }
        return result;
    }

    private static StreamProduct product(String url, String name, JsonNode node) throws StreamSourceException {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext();) {
            var f = it.next();
            if (f.getValue().isValueNode()) {
                attributes.put(f.getKey(), f.getValue().asText());
            }
        }
        TreeMap<String, StreamVersion> versions = new TreeMap<>();
        for (var it = node.path("versions").fields(); it.hasNext();) {
            var v = it.next();
            Map<String, StreamItem> items = new LinkedHashMap<>();
            for (var items_ = v.getValue().path("items").fields(); items_.hasNext();) {
                var i = items_.next();
                items.put(i.getKey(), item(url, name, i.getKey(), i.getValue()));
            }
            versions.put(v.getKey(), new StreamVersion(v.getKey(), items));
        }
        // The order of spec §1.3: bootloader, multi-file, single-file; the last that validates wins.
        ProductShape shape = null;
        if (isBootloader(attributes, versions)) {
            shape = ProductShape.BOOTLOADER;
        }
        if (isMultiFile(attributes, versions)) {
            shape = ProductShape.MULTI_FILE;
        }
        if (isSingleFile(attributes, versions)) {
            shape = ProductShape.SINGLE_FILE;
        }
        return shape == null ? null : new StreamProduct(name, shape, attributes, versions);
    }

    private static StreamItem item(String url, String product, String key, JsonNode n) throws StreamSourceException {
        String ftype = n.path("ftype").asText("");
        String path = n.path("path").asText("");
        String sha256 = n.path("sha256").asText("");
        JsonNode size = n.path("size");
        // the API's check, not a regex compiled per item: a product list has thousands of items
        if (ftype.isEmpty() || path.isEmpty() || !BlobNames.isSha256(sha256) || !size.canConvertToLong()
                || size.asLong() < 0) {
            throw new StreamSourceException("Request to '" + url + "' failed: item " + key + " of " + product
                    + " lacks a valid ftype, path, sha256 or size");
        }
        Map<String, String> extra = new TreeMap<>();
        for (var it = n.fields(); it.hasNext();) {
            var f = it.next();
            if (f.getValue().isValueNode() && !ITEM_FIELDS.contains(f.getKey())) {
                extra.put(f.getKey(), f.getValue().asText());
            }
        }
        return new StreamItem(key, ftype, path, sha256, size.asLong(), extra);
    }

    private static boolean has(Map<String, String> a, String... keys) {
        for (String k : keys) {
            if (a.getOrDefault(k, "").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBootloader(Map<String, String> a, Map<String, StreamVersion> versions) {
        if (!has(a, "arch", "bootloader-type", "os")) {
            return false;
        }
        for (StreamVersion v : versions.values()) {
            if (v.items().keySet().stream().noneMatch(BOOTLOADER_ITEMS::contains)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMultiFile(Map<String, String> a, Map<String, StreamVersion> versions) {
        if (!has(a, "arch", "os", "release", "subarch") || a.containsKey("bootloader-type")) {
            return false;
        }
        for (StreamVersion v : versions.values()) {
            var items = v.items().keySet();
            if (!items.contains("boot-kernel") || !items.contains("boot-initrd") || !items.contains("manifest")
                    || !(items.contains("squashfs") || items.contains("root-image.gz"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSingleFile(Map<String, String> a, Map<String, StreamVersion> versions) {
        if (!has(a, "arch", "os", "release") || a.containsKey("bootloader-type")) {
            return false;
        }
        for (StreamVersion v : versions.values()) {
            if (!v.items().containsKey("root-tgz") || !v.items().containsKey("manifest")) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode read(String url, byte[] json) throws StreamSourceException {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new StreamSourceException("Request to '" + url + "' failed: not a valid JSON file.");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new StreamSourceException("Request to '" + url + "' failed: not a valid JSON file.", e);
        } catch (IOException e) {
            throw new StreamSourceException("Request to '" + url + "' failed: " + e.getMessage(), e);
        }
    }
}
