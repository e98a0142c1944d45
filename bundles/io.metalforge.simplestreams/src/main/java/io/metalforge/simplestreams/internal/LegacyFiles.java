package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Logger;

import io.metalforge.api.store.BlobStore;

/**
 * Carries over what earlier versions kept in JSON files under {@code <data>/simplestreams}: boot sources and
 * selections ({@code sources.json}, used without a database) go into the database tables, and synced sets
 * ({@code synced.json}) into the catalog, whose tables are now the only record of them. Runs on start; each file is
 * renamed to {@code *.migrated} once carried over, so it runs once and the data is kept for inspection.
 */
final class LegacyFiles {

    private static final Logger LOG = Logger.getLogger(LegacyFiles.class.getName());

    /** The former sources.json. */
    record Sources(long nextId, List<BootSource> sources, List<Selection> selections) {
    }

    /** The former synced.json. */
    record Synced(long nextId, List<SyncedState.Resource> resources, TreeSet<String> ownedBlobs) {
    }

    private LegacyFiles() {
    }

    /** Sources and selections of {@code sources.json} into the repository (unless it already holds sources). */
    static void migrateSources(Path data, BootSourceRepository repository) throws IOException {
        Path file = data.resolve("sources.json");
        if (!Files.exists(file)) {
            return;
        }
        Sources old = JsonFiles.read(file, Sources.class, new Sources(1, List.of(), List.of()));
        Map<Long, Long> ids = new HashMap<>();
        if (repository.sources().isEmpty()) {
            for (BootSource s : old.sources() == null ? List.<BootSource>of() : old.sources()) {
                BootSource saved = repository.save(new BootSource(0, s.name(), s.url(), s.priority(), s.enabled(),
                        s.keyringFilename(), s.keyringData(), s.skipKeyringVerification(), s.created(),
                        s.updated()));
                ids.put(s.id(), saved.id());
            }
            for (Selection sel : old.selections() == null ? List.<Selection>of() : old.selections()) {
                Long source = ids.get(sel.bootSourceId());
                if (source != null) {
                    repository.save(new Selection(0, source, sel.os(), sel.release(), sel.arches(), sel.subarches(),
                            sel.labels()));
                }
            }
            LOG.info("Boot sources carried over from " + file + ": " + ids.size());
        }
        retire(file);
    }

    /**
     * Synced sets of {@code synced.json} whose blobs are all stored into the catalog (a set with a missing blob is
     * synced again by the next import).
     */
    static void migrateSynced(Path data, SyncedState state, BlobStore store) throws IOException {
        Path file = data.resolve("synced.json");
        if (!Files.exists(file)) {
            return;
        }
        Synced old = JsonFiles.read(file, Synced.class, new Synced(1, List.of(), null));
        int carried = 0;
        for (SyncedState.Resource r : old.resources() == null ? List.<SyncedState.Resource>of() : old.resources()) {
            var latest = r.latest();
            if (latest.isEmpty()) {
                continue;
            }
            boolean stored = true;
            for (SyncedState.File f : latest.get().files().values()) {
                stored &= store.contains(f.sha256());
            }
            if (stored) {
                state.publish(r, latest.get());
                carried++;
            }
        }
        LOG.info("Synced sets carried over from " + file + " into the catalog: " + carried);
        retire(file);
    }

    private static void retire(Path file) throws IOException {
        Files.move(file, file.resolveSibling(file.getFileName() + ".migrated"), StandardCopyOption.REPLACE_EXISTING);
    }
}
