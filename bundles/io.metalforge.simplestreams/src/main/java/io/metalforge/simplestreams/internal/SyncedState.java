package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.NewBootResourceFile;
import io.metalforge.api.catalog.NewBootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;

/**
 * The synced boot resources, as the catalog tables hold them: they are the only record of synced sets, so every
 * region on one database sees the same ones. A set is added to the catalog only when all its files are stored and
 * verified, so whatever a crash interrupts stays invisible. Where each resource came from (boot source and
 * selection) is kept beside it in {@code simplestreams_synced} (owner {@value #OWNER}). Bytes are never deleted
 * here: deleting a set or resource from the catalog frees, through the catalog's one garbage collector, the blobs
 * nothing references and nobody pinned.
 */
final class SyncedState {

    static final String OWNER = "simplestreams.synced";

    static final List<Migration> MIGRATIONS = List.of(new Migration(1, "origin of synced resources", """
            CREATE TABLE simplestreams_synced (
              resource_id BIGINT PRIMARY KEY,
              source_id BIGINT NOT NULL,
              selection_key VARCHAR(1024) NOT NULL
            )
            """));

    record File(String filename, String filetype, String sha256, long size, Map<String, String> extra) {
    }

    record Set_(String version, String label, Map<String, File> files) {
        long size() {
            return files.values().stream().mapToLong(File::size).sum();
        }
    }

    /**
     * A synced boot resource, keyed by (name, architecture, alias).
     *
     * @param id           its catalog id (0 for one planned but not yet in the catalog)
     * @param selectionKey "sourceId:os/release/arch" of the selection it came from, "" for bootloaders
     */
    record Resource(long id, String name, String architecture, String alias, String kflavor, String bootloaderType,
            Map<String, String> extra, long sourceId, String selectionKey, TreeMap<String, Set_> sets) {

        String key() {
            return name + "|" + architecture + "|" + (alias == null ? "" : alias);
        }

        Optional<Set_> latest() {
            return sets.isEmpty() ? Optional.empty() : Optional.of(sets.lastEntry().getValue());
        }
    }

    private final BootResourceCatalog catalog;
    private final Database db;

    SyncedState(BootResourceCatalog catalog, Database db) throws IOException {
        this.catalog = catalog;
        this.db = db;
        try {
            db.migrate(OWNER, MIGRATIONS);
        } catch (SQLException e) {
            throw new IOException("Cannot migrate the synced resource tables: " + e.getMessage(), e);
        }
    }

    BootResourceCatalog catalog() {
        return catalog;
    }

    /** Synced resources with their complete sets (a resource whose set is still downloading has none). */
    List<Resource> resources() throws IOException {
        return resources(true);
    }

    /**
     * Synced resources with their origin but without their sets (each left empty): what deciding which resources no
     * selection wants needs, in one query of the resources instead of two more per resource for sets and files.
     */
    List<Resource> resourcesWithoutSets() throws IOException {
        return resources(false);
    }

    private List<Resource> resources(boolean withSets) throws IOException {
        Map<Long, String[]> origins = origins();
        List<Resource> list = new ArrayList<>();
        try {
            for (BootResource r : catalog.resources(Optional.of(ResourceType.SYNCED))) {
                TreeMap<String, Set_> sets = new TreeMap<>();
                for (BootResourceSet s : withSets ? catalog.sets(r.id()) : List.<BootResourceSet>of()) {
                    List<BootResourceFile> files = catalog.files(s.id());
                    if (files.isEmpty() || !files.stream().allMatch(BootResourceFile::complete)) {
                        continue;
                    }
                    Map<String, File> byName = new TreeMap<>();
                    files.forEach(f -> byName.put(f.filename(), new File(f.filename(), f.filetype(), f.sha256(),
                            f.size(), f.extra())));
                    sets.put(s.version(), new Set_(s.version(), s.label(), byName));
                }
                String[] origin = origins.getOrDefault(r.id(), new String[] {"0", ""});
                list.add(new Resource(r.id(), r.name(), r.architecture(), r.alias().isEmpty() ? null : r.alias(),
                        r.kflavor(), r.bootloaderType().isEmpty() ? null : r.bootloaderType(), r.extra(),
                        Long.parseLong(origin[0]), origin[1], sets));
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot read the synced resources from the catalog: " + e.getMessage(), e);
        }
        list.sort(java.util.Comparator.comparingLong(Resource::id));
        return list;
    }

    Optional<Resource> resource(long id) throws IOException {
        return resources().stream().filter(r -> r.id() == id).findFirst();
    }

    /**
     * Adds a complete, verified set of a resource to the catalog and removes every other set of it (only the newest
     * complete set is kept; the catalog frees blobs nobody references). Idempotent.
     */
    void publish(Resource r, Set_ set) throws IOException {
        publish(r, set, 0);
    }

    /**
     * The same, for a resource {@link #prepare}d by this import as {@code preparedId} (0: not prepared): its row and
     * origin are not looked up again. Should the row have gone meanwhile, it is found or created as without an id.
     */
    void publish(Resource r, Set_ set, long preparedId) throws IOException {
        try {
            if (preparedId > 0) {
                try {
                    publishInto(preparedId, set);
                    return;
                } catch (RuntimeException e) {
                    if (catalog.resource(preparedId).isPresent()) {
                        throw e;
                    }
                    // deleted since it was prepared: made again below
                }
            }
            BootResource resource = catalog.findOrCreate(newResource(r));
            publishInto(resource.id(), set);
            recordOrigin(resource.id(), r.sourceId(), r.selectionKey());
        } catch (RuntimeException e) {
            throw cannotPublish(r, set, e);
        }
    }

    /** A set to publish for a resource, {@link #prepare}d by this import as {@code preparedId} (0: not prepared). */
    record Publication(Resource resource, Set_ set, long preparedId) {
    }

    /**
     * {@link #publish} for several sets: those of resources this import prepared that hold no set of the same
     * version yet (every set of a first sync) are created in one catalog transaction, one commit for all, then each
     * resource's other sets are removed as {@link #publish} removes them; the others, and all of them should that
     * transaction fail, are published one by one, so a failure is reported under its own set. The publications
     * that failed, with why.
     */
    Map<Publication, IOException> publishAll(List<Publication> publications) {
        Map<Publication, IOException> failed = new java.util.IdentityHashMap<>();
        List<Publication> together = new ArrayList<>();
        List<List<BootResourceSet>> replaced = new ArrayList<>();
        List<Publication> alone = new ArrayList<>();
        Set<Long> resources = new HashSet<>();
        // null: each goes on its own below, which reports what fails
        Map<Long, List<BootResourceSet>> held = publications.size() > 1 ? heldSets(publications) : null;
        for (Publication p : publications) {
            // a second set of one resource goes on its own, after: publishing it removes the resource's others
            if (held != null && p.preparedId() > 0 && resources.add(p.preparedId())) {
                List<BootResourceSet> existing = held.getOrDefault(p.preparedId(), List.of());
                if (existing.stream().noneMatch(s -> s.version().equals(p.set().version()))) {
                    together.add(p);
                    replaced.add(existing);
                    continue;
                }
            }
            alone.add(p);
        }
        if (!together.isEmpty()) {
            List<NewBootResourceSet> sets = new ArrayList<>(together.size());
            together.forEach(p -> sets.add(new NewBootResourceSet(p.preparedId(), p.set().version(),
                    p.set().label(), newFiles(p.set()))));
            try {
                catalog.createSetsWithFiles(sets);
                for (int i = 0; i < together.size(); i++) {
                    Publication p = together.get(i);
                    try {
                        for (BootResourceSet old : replaced.get(i)) {
                            catalog.deleteSet(old.id());
                        }
                    } catch (RuntimeException e) {
                        failed.put(p, cannotPublish(p.resource(), p.set(), e));
                    }
                }
            } catch (RuntimeException e) {
                alone.addAll(together); // nothing was created: one by one
            }
        }
        for (Publication p : alone) {
            try {
                publish(p.resource(), p.set(), p.preparedId());
            } catch (IOException e) {
                failed.put(p, e);
            }
        }
        return failed;
    }

    /** The sets the resources this import prepared for {@code publications} hold now, in one read; null if it fails. */
    private Map<Long, List<BootResourceSet>> heldSets(List<Publication> publications) {
        Set<Long> ids = new HashSet<>();
        publications.forEach(p -> {
            if (p.preparedId() > 0) {
                ids.add(p.preparedId());
            }
        });
        try {
            return catalog.setsOf(ids);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<NewBootResourceFile> newFiles(Set_ set) {
        List<NewBootResourceFile> files = new ArrayList<>();
        for (File f : set.files().values()) {
            files.add(new NewBootResourceFile(f.filename(), f.filetype(), f.sha256(), f.size(), f.extra()));
        }
        return files;
    }

    private static IOException cannotPublish(Resource r, Set_ set, RuntimeException e) {
        return new IOException("Cannot publish " + r.name() + " " + r.architecture() + " " + set.version()
                + " in the catalog: " + e.getMessage(), e);
    }

    private void publishInto(long resourceId, Set_ set) {
        List<BootResourceSet> existing = catalog.sets(resourceId);
        BootResourceSet current = null;
        for (BootResourceSet s : existing) {
            if (s.version().equals(set.version()) && matches(s, set)) {
                current = s;
            }
        }
        Set<Long> deleted = new HashSet<>();
        if (current == null) {
            // a stale set of the same version (upstream files changed) goes first
            for (BootResourceSet s : existing) {
                if (s.version().equals(set.version())) {
                    catalog.deleteSet(s.id());
                    deleted.add(s.id());
                }
            }
            // the set and its files in one transaction: never seen with only some of its files
            current = catalog.createSetWithFiles(resourceId, set.version(), set.label(), newFiles(set));
        }
        for (BootResourceSet s : existing) {
            if (s.id() != current.id() && !deleted.contains(s.id())) {
                catalog.deleteSet(s.id());
            }
        }
    }

    private boolean matches(BootResourceSet s, Set_ set) {
        var files = catalog.files(s.id());
        if (files.size() != set.files().size()) {
            return false;
        }
        for (BootResourceFile f : files) {
            File want = set.files().get(f.filename());
            if (want == null || !want.sha256().equals(f.sha256()) || !f.complete()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A set of the resource starts downloading: the resource is made visible (without the set, so nothing of it is
     * usable) so its live progress can be shown under its id. Idempotent.
     */
    long prepare(Resource r) throws IOException {
        try {
            BootResource resource = catalog.findOrCreate(newResource(r));
            recordOrigin(resource.id(), r.sourceId(), r.selectionKey());
            return resource.id();
        } catch (RuntimeException e) {
            throw new IOException("Cannot register " + r.name() + " " + r.architecture() + " in the catalog: "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@link #prepare} for the resources of several sets at once: their rows in one catalog transaction and their
     * origins in one more, instead of two commits per resource (on 67 small sets those commits were most of what an
     * import did before its first download finished). The catalog ids, in the order given.
     */
    List<Long> prepareAll(List<Resource> resources) throws IOException {
        if (resources.isEmpty()) {
            return List.of();
        }
        List<NewBootResource> wanted = new ArrayList<>(resources.size());
        resources.forEach(r -> wanted.add(newResource(r)));
        List<BootResource> made;
        try {
            made = catalog.findOrCreateAll(wanted);
        } catch (RuntimeException e) {
            throw new IOException("Cannot register " + resources.size() + " resources in the catalog: "
                    + e.getMessage(), e);
        }
        List<Long> ids = new ArrayList<>(made.size());
        made.forEach(b -> ids.add(b.id()));
        Map<Long, String[]> known = origins();
        Map<Long, Origin> changed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            String[] o = known.get(ids.get(i));
            String key = r.selectionKey() == null ? "" : r.selectionKey();
            if (o == null || !o[0].equals(Long.toString(r.sourceId())) || !o[1].equals(key)) {
                changed.put(ids.get(i), new Origin(r.sourceId(), key));
            }
        }
        if (!changed.isEmpty()) {
            try {
                writeOrigins(changed);
            } catch (SQLException e) {
                throw new IOException("Cannot record the origin of synced resources: " + e.getMessage(), e);
            }
        }
        return ids;
    }

    /** The resource is no longer wanted: it goes from the catalog with its sets (and blobs nobody else uses). */
    void remove(Resource r) throws IOException {
        try {
            if (r.id() != 0 && catalog.resource(r.id()).isPresent()) {
                catalog.deleteResource(r.id());
            }
            forgetOrigin(r.id());
        } catch (RuntimeException e) {
            throw new IOException("Cannot remove " + r.name() + " " + r.architecture() + " from the catalog: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Removes synced resources that hold no set: left by a set that failed or by a sync killed mid-download. Called
     * at the end of every sync, so a crash leaves such an empty resource at most until the next sync.
     */
    void dropEmpty() throws IOException {
        dropEmpty(Set.of());
    }

    /** The same, but without looking at the resources this import just published a set in ({@code holding}). */
    void dropEmpty(Set<Long> holding) throws IOException {
        try {
            for (BootResource r : catalog.resources(Optional.of(ResourceType.SYNCED))) {
                if (!holding.contains(r.id()) && catalog.sets(r.id()).isEmpty()) {
                    catalog.deleteResource(r.id());
                    forgetOrigin(r.id());
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot clean up the catalog: " + e.getMessage(), e);
        }
    }

    private static NewBootResource newResource(Resource r) {
        return new NewBootResource(ResourceType.SYNCED, r.name(), r.architecture(), r.alias() == null ? "" : r.alias(),
                "", r.bootloaderType() == null ? "" : r.bootloaderType(), r.kflavor(), false, r.extra());
    }

    private Map<Long, String[]> origins() throws IOException {
        Map<Long, String[]> m = new HashMap<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT resource_id, source_id, selection_key FROM simplestreams_synced");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getLong(1), new String[] {Long.toString(rs.getLong(2)), rs.getString(3)});
            }
        } catch (SQLException e) {
            throw new IOException("Cannot read the origin of synced resources: " + e.getMessage(), e);
        }
        return m;
    }

    private void recordOrigin(long resourceId, long sourceId, String selectionKey) {
        String key = selectionKey == null ? "" : selectionKey;
        // already recorded (every import after the first, and publish after prepare): a read, not a commit
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM simplestreams_synced WHERE resource_id = ? "
                        + "AND source_id = ? AND selection_key = ?")) {
            ps.setLong(1, resourceId);
            ps.setLong(2, sourceId);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the origin of a synced resource: " + e.getMessage(), e);
        }
        try {
            writeOrigins(Map.of(resourceId, new Origin(sourceId, key)));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the origin of a synced resource: " + e.getMessage(), e);
        }
    }

    /** Where a synced resource came from: its boot source and selection (empty: none). */
    private record Origin(long sourceId, String selectionKey) {
    }

    /** The origins of resources by catalog id, replacing what was recorded for them, in one transaction. */
    private void writeOrigins(Map<Long, Origin> byId) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM simplestreams_synced WHERE resource_id = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO simplestreams_synced (resource_id, "
                            + "source_id, selection_key) VALUES (?, ?, ?)")) {
                // two batches, not two statements per resource (a first sync of many small images records many)
                for (Map.Entry<Long, Origin> e : byId.entrySet()) {
                    del.setLong(1, e.getKey());
                    del.addBatch();
                    ins.setLong(1, e.getKey());
                    ins.setLong(2, e.getValue().sourceId());
                    ins.setString(3, e.getValue().selectionKey());
                    ins.addBatch();
                }
                del.executeBatch();
                ins.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void forgetOrigin(long resourceId) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM simplestreams_synced WHERE resource_id = ?")) {
            ps.setLong(1, resourceId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot forget a synced resource: " + e.getMessage(), e);
        }
    }
}
