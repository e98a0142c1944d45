package io.metalforge.boot.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.store.BlobNames;

/**
 * The complete files of the catalog by sha256, to resolve the first segment of {@code images/<sha256 prefix>/...}
 * as MAAS's nginx does (only that segment counts; the rest of the path is descriptive). Rebuilt from the catalog when a
 * prefix is not found, at most once per {@link #MIN_REBUILD_MILLIS}, so a client asking for unknown hashes cannot
 * make the server query the database on every request.
 */
final class ImageIndex {

    static final long MIN_REBUILD_MILLIS = 1000;

    /** One stored file: its content, size and when its set was made (served as Last-Modified). */
    record Entry(String sha256, long size, Instant modified) {
    }

    private final BootResourceCatalog catalog;
    private final Clock clock;
    private volatile TreeMap<String, Entry> bySha = new TreeMap<>();
    private volatile long builtAt = Long.MIN_VALUE / 2;

    ImageIndex(BootResourceCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** The one file whose sha256 starts with {@code prefix} (at least 7 lower-case hex characters). */
    Optional<Entry> find(String prefix) {
        if (!BlobNames.isShortSha(prefix)) {
            return Optional.empty();
        }
        Optional<Entry> hit = lookup(bySha, prefix);
        if (hit.isPresent()) {
            return hit;
        }
        // a miss waits for a rebuild under way and looks again: clients asking for a new image at once would else get
        // 404 while the first of them rebuilds the index
        synchronized (this) {
            hit = lookup(bySha, prefix);
            if (hit.isEmpty() && rebuildAllowed()) {
                rebuild();
                hit = lookup(bySha, prefix);
            }
        }
        return hit;
    }

    private static Optional<Entry> lookup(TreeMap<String, Entry> map, String prefix) {
        Map.Entry<String, Entry> first = map.ceilingEntry(prefix);
        if (first == null || !first.getKey().startsWith(prefix)) {
            return Optional.empty();
        }
        Map.Entry<String, Entry> next = map.higherEntry(first.getKey());
        if (next != null && next.getKey().startsWith(prefix)) {
            return Optional.empty(); // ambiguous: MAAS lengthens the prefix on collision, so no URL it made is
        }
        return Optional.of(first.getValue());
    }

    private synchronized boolean rebuildAllowed() {
        long now = clock.millis();
        if (now - builtAt < MIN_REBUILD_MILLIS) {
            return false;
        }
        builtAt = now;
        return true;
    }

    /** Reads every complete file of the catalog. */
    void rebuild() {
        TreeMap<String, Entry> map = new TreeMap<>();
        Map<Long, Instant> setTimes = new HashMap<>();
        for (BootResource resource : catalog.resources(Optional.empty())) {
            for (BootResourceSet set : catalog.sets(resource.id())) {
                setTimes.put(set.id(), set.created());
                List<BootResourceFile> files = catalog.files(set.id());
                for (BootResourceFile file : files) {
                    if (file.complete()) {
                        map.putIfAbsent(file.sha256(), new Entry(file.sha256(), file.size(), set.created()));
                    }
                }
            }
        }
        bySha = map;
    }

    int size() {
        return bySha.size();
    }
}
