package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.FormFile;
import io.metalforge.api.source.ProductShape;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamProduct;

/**
 * Boot sources and selections as the MAAS API and the shell see them: the form rules of BootSourceForm and
 * BootSourceSelectionForm, validation against the source's cache, and the JSON shapes.
 */
final class BootSources {

    /** Reads the catalogue of a source (from the cache, or fetched now). */
    interface Cache {
        StreamCatalogue catalogue(BootSource source) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(BootSources.class.getName());
    static final String DEFAULT_KEYRING = "/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg";
    /** The name of the source a fresh install creates. */
    static final String DEFAULT_NAME = "MAAS Stable";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final int MAX_KEYRING = 1 << 20;

    private final BootSourceRepository repository;
    private final Cache cache;

    BootSources(BootSourceRepository repository, Cache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    BootSourceRepository repository() {
        return repository;
    }

    /**
     * A fresh install gets the configured stream (the stable one unless {@code default_source_url} says otherwise;
     * priority 1) and ubuntu/noble amd64, as MAAS does. The configuration may arrive after the first start created
     * that source (the deploy folder is read after the component started), so the default source follows the
     * configured URL and keyring for as long as it is the only source and nobody has edited it through the API or
     * the shell (its update time is still its creation time); after that the operator's choice wins.
     */
    synchronized void ensureDefault(String url, String keyring, String os, String release, List<String> arches)
            throws IOException {
        String wanted = BootSourceUrls.normalise(url);
        // an index.json is an unsigned stream, as for a source made through the API
        boolean unsigned = wanted.endsWith(".json");
        List<BootSource> existing = repository.sources();
        if (existing.isEmpty()) {
            String now = now();
            BootSource s = repository.save(new BootSource(0, DEFAULT_NAME, wanted, 1, true, keyring, null, unsigned,
                    now, now));
            repository.save(new Selection(0, s.id(), os, release, arches, List.of("*"), List.of("*")));
            return;
        }
        BootSource only = existing.get(0);
        boolean untouched = existing.size() == 1 && only.name().equals(DEFAULT_NAME)
                && only.created().equals(only.updated());
        if (untouched && (!only.url().equals(wanted) || !only.keyringFilename().equals(keyring)
                || only.skipKeyringVerification() != unsigned)) {
            repository.save(new BootSource(only.id(), only.name(), wanted, only.priority(), only.enabled(), keyring,
                    null, unsigned, only.created(), only.updated()));
            LOG.info("The default boot source follows default_source_url: " + wanted);
        } else if (!untouched && !wanted.equals(BootSourceUrls.STABLE)
                && existing.stream().noneMatch(e -> e.url().equals(wanted))) {
            LOG.warning("default_source_url " + wanted + " is not applied: the boot sources were changed through the "
                    + "API or the shell, and those changes win (docs/SIMPLESTREAMS.md)");
        }
    }

    // ---- boot sources -------------------------------------------------------------------------------------

    List<Map<String, Object>> list() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BootSource s : repository.sources()) {
            out.add(json(s));
        }
        return out;
    }

    BootSource get(long id) throws IOException, ApiException {
        return repository.source(id).orElseThrow(() -> ApiException.notFound("No BootSource matches the given query."));
    }

    synchronized BootSource create(Map<String, List<String>> params, List<FormFile> files)
            throws IOException, ApiException {
        return save(null, params, files);
    }

    synchronized BootSource update(long id, Map<String, List<String>> params, List<FormFile> files)
            throws IOException, ApiException {
        return save(get(id), params, files);
    }

    synchronized void delete(long id) throws IOException, ApiException {
        get(id);
        repository.delete(id);
    }

    private BootSource save(BootSource old, Map<String, List<String>> params, List<FormFile> files)
            throws IOException, ApiException {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String url = old == null ? null : old.url();
        if (has(params, "url") || old == null) {
            try {
                url = BootSourceUrls.validate(first(params, "url"));
            } catch (IllegalArgumentException e) {
                errors.computeIfAbsent("url", k -> new ArrayList<>()).add(e.getMessage());
            }
        }
        String name = has(params, "name") ? first(params, "name").strip() : old == null ? url : old.name();
        if (name != null && name.length() > 256) {
            errors.computeIfAbsent("name", k -> new ArrayList<>()).add("Ensure this value has at most 256 characters.");
        }
        int priority;
        List<BootSource> others = repository.sources().stream().filter(s -> old == null || s.id() != old.id()).toList();
        if (has(params, "priority")) {
            priority = 0;
            try {
                priority = Integer.parseInt(first(params, "priority").strip());
                if (priority < 0) {
                    errors.computeIfAbsent("priority", k -> new ArrayList<>())
                            .add("Ensure this value is greater than or equal to 0.");
                }
            } catch (NumberFormatException e) {
                errors.computeIfAbsent("priority", k -> new ArrayList<>()).add("Enter a whole number.");
            }
        } else {
            priority = old != null ? old.priority()
                    : others.stream().mapToInt(BootSource::priority).max().orElse(0) + 1;
        }
        boolean enabled = has(params, "enabled") ? bool(first(params, "enabled"), errors, "enabled")
                : old == null || old.enabled();
        String keyringFilename = has(params, "keyring_filename") ? first(params, "keyring_filename").strip()
                : old == null ? "" : old.keyringFilename();
        byte[] keyringData = old == null ? new byte[0] : old.keyringData();
        FormFile upload = files.stream().filter(f -> f.name().equals("keyring_data")).findFirst().orElse(null);
        if (upload != null) {
            if (upload.size() > MAX_KEYRING) {
                errors.computeIfAbsent("keyring_data", k -> new ArrayList<>()).add("Keyring larger than 1 MiB.");
            } else {
                try (InputStream in = upload.open()) {
                    keyringData = in.readAllBytes();
                }
            }
        } else if (has(params, "keyring_data")) {
            String v = first(params, "keyring_data");
            keyringData = v.isEmpty() ? new byte[0] : v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (has(params, "keyring_filename") && !keyringFilename.isEmpty() && upload == null
                && !has(params, "keyring_data")) {
            keyringData = new byte[0]; // a new filename replaces stored data
        }
        boolean skip = has(params, "skip_keyring_verification")
                ? bool(first(params, "skip_keyring_verification"), errors, "skip_keyring_verification")
                : old != null ? old.skipKeyringVerification() : url != null && url.endsWith(".json");
        if (!skip) {
            if (keyringFilename.isEmpty() && keyringData.length == 0) {
                errors.computeIfAbsent("__all__", k -> new ArrayList<>())
                        .add("One of keyring_data or keyring_filename must be specified.");
            } else if (!keyringFilename.isEmpty() && keyringData.length > 0) {
                errors.computeIfAbsent("__all__", k -> new ArrayList<>())
                        .add("Only one of keyring_data or keyring_filename can be specified.");
            }
        }
        String finalUrl = url;
        if (finalUrl != null && others.stream().anyMatch(s -> s.url().equals(finalUrl))) {
            errors.computeIfAbsent("url", k -> new ArrayList<>()).add("Boot source with this Url already exists.");
        }
        String finalName = name;
        if (finalName != null && others.stream().anyMatch(s -> s.name().equals(finalName))) {
            errors.computeIfAbsent("name", k -> new ArrayList<>()).add("Boot source with this Name already exists.");
        }
        int finalPriority = priority;
        if (others.stream().anyMatch(s -> s.priority() == finalPriority) && errors.get("priority") == null) {
            errors.computeIfAbsent("priority", k -> new ArrayList<>())
                    .add("Boot source with this Priority already exists.");
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String now = now();
        return repository.save(new BootSource(old == null ? 0 : old.id(), name, url, priority, enabled,
                keyringFilename, keyringData, skip, old == null ? now : old.created(), now));
    }

    static Map<String, Object> json(BootSource s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("url", s.url());
        m.put("priority", s.priority());
        m.put("enabled", s.enabled());
        m.put("keyring_filename", s.keyringFilename());
        m.put("keyring_data", s.keyringData().length == 0 ? "" : Base64.getEncoder().encodeToString(s.keyringData()));
        m.put("skip_keyring_verification", s.skipKeyringVerification());
        m.put("created", s.created());
        m.put("updated", s.updated());
        m.put("resource_uri", "/MAAS/api/2.0/boot-sources/" + s.id() + "/");
        return m;
    }

    // ---- selections ---------------------------------------------------------------------------------------

    List<Map<String, Object>> selections(long sourceId) throws IOException, ApiException {
        get(sourceId);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Selection s : repository.selections(sourceId)) {
            out.add(json(s));
        }
        return out;
    }

    Selection selection(long sourceId, long id) throws IOException, ApiException {
        get(sourceId);
        return repository.selections(sourceId).stream().filter(s -> s.id() == id).findFirst()
                .orElseThrow(() -> ApiException.notFound("No BootSourceSelection matches the given query."));
    }

    synchronized Selection createSelection(long sourceId, Map<String, List<String>> params)
            throws IOException, ApiException {
        return saveSelection(get(sourceId), null, params);
    }

    synchronized Selection updateSelection(long sourceId, long id, Map<String, List<String>> params)
            throws IOException, ApiException {
        return saveSelection(get(sourceId), selection(sourceId, id), params);
    }

    synchronized void deleteSelection(long sourceId, long id) throws IOException, ApiException {
        selection(sourceId, id);
        repository.deleteSelection(sourceId, id);
    }

    private Selection saveSelection(BootSource source, Selection old, Map<String, List<String>> params)
            throws IOException, ApiException {
        String os = has(params, "os") ? first(params, "os").strip() : old == null ? "" : old.os();
        String release = has(params, "release") ? first(params, "release").strip() : old == null ? "" : old.release();
        List<String> arches = values(params, "arches", old == null ? List.of("*") : old.arches());
        List<String> subarches = values(params, "subarches", old == null ? List.of("*") : old.subarches());
        List<String> labels = values(params, "labels", old == null ? List.of("*") : old.labels());
        for (List<String> l : List.of(arches, subarches, labels)) {
            if (l.size() > 64 || l.stream().anyMatch(v -> v.length() > 64)) {
                throw ApiException.badRequest("Too many or too long values.");
            }
        }
        StreamCatalogue c;
        try {
            c = cache.catalogue(source);
        } catch (IOException e) {
            throw ApiException.badRequest("Cannot check the selection against boot source " + source.url() + ": "
                    + e.getMessage());
        }
        List<StreamProduct> matching = c.products().stream().filter(p -> p.shape() != ProductShape.BOOTLOADER
                && p.os().equals(os) && p.release().equals(release)).toList();
        if (matching.isEmpty()) {
            throw ApiException.badRequest("OS " + os + " with release " + release
                    + " has no available images for download");
        }
        Set<String> knownArches = new LinkedHashSet<>();
        Set<String> knownSubarches = new LinkedHashSet<>();
        Set<String> knownLabels = new LinkedHashSet<>();
        for (StreamProduct p : matching) {
            knownArches.add(p.arch());
            knownSubarches.add(p.attribute("subarch"));
            for (String s : p.attribute("subarches").split(",")) {
                if (!s.isBlank()) {
                    knownSubarches.add(s.strip());
                }
            }
            knownLabels.add(p.label());
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        check("arches", arches, knownArches, errors);
        check("subarches", subarches, knownSubarches, errors);
        check("labels", labels, knownLabels, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        if (repository.selections(source.id()).stream().anyMatch(s -> (old == null || s.id() != old.id())
                && s.os().equals(os) && s.release().equals(release))) {
            throw ApiException.validation(Map.of("__all__",
                    List.of("Boot source selection with this Boot source, Os and Release already exists.")));
        }
        return repository.save(new Selection(old == null ? 0 : old.id(), source.id(), os, release, arches, subarches,
                labels));
    }

    private static void check(String field, List<String> asked, Set<String> known, Map<String, List<String>> errors) {
        if (asked.contains("*")) {
            return;
        }
        List<String> unknown = asked.stream().filter(a -> !known.contains(a)).toList();
        if (!unknown.isEmpty()) {
            errors.put(field, List.of("No available images to download for " + unknown));
        }
    }

    static Map<String, Object> json(Selection s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("boot_source_id", s.bootSourceId());
        m.put("os", s.os());
        m.put("release", s.release());
        m.put("arches", s.arches());
        m.put("subarches", s.subarches());
        m.put("labels", s.labels());
        m.put("resource_uri", "/MAAS/api/2.0/boot-sources/" + s.bootSourceId() + "/selections/" + s.id() + "/");
        return m;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static boolean has(Map<String, List<String>> p, String key) {
        List<String> v = p.get(key);
        return v != null && !v.isEmpty();
    }

    private static String first(Map<String, List<String>> p, String key) {
        List<String> v = p.get(key);
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0);
    }

    private static List<String> values(Map<String, List<String>> p, String key, List<String> dflt) {
        List<String> v = p.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        List<String> out = new ArrayList<>();
        for (String s : v) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out.isEmpty() ? dflt : out;
    }

    private static boolean bool(String v, Map<String, List<String>> errors, String field) {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> {
                errors.computeIfAbsent(field, k -> new ArrayList<>()).add("'" + v + "' value must be either True or False.");
                yield false;
            }
        };
    }

    static String now() {
        return LocalDateTime.now(ZoneOffset.UTC).format(TIMESTAMP);
    }
}
