package io.metalforge.catalog.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.NewBootResourceFile;
import io.metalforge.api.catalog.NewBootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.catalog.UploadedImageCount;
import io.metalforge.api.db.Database;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.store.BlobNames;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.ResumableBlobStore;

/**
 * The catalog in the platform database (tables catalog_*), bytes in the blob store chosen by configuration (PID
 * {@value #STORAGE_PID}, key {@code store.target}). It owns image storage: uploads and the image sync store through
 * {@link #blobStore()}, and every deletion of image bytes goes through {@link #collectGarbage}, which honours pins and
 * the references of every file row (uploaded and synced alike).
 */
@Component(service = { BootResourceCatalog.class, CatalogService.class }, configurationPid = CatalogService.STORAGE_PID)
@Designate(ocd = CatalogStorageConfig.class)
public class CatalogService implements BootResourceCatalog {

    static final String STORAGE_PID = "io.metalforge.catalog.storage";
    static final String DEFAULT_STORE = "(" + BlobStore.PROPERTY_NAME + "=fs)";

    /** Resource ids per read of {@link #setsOf}: IN-lists stay short whatever a sync publishes. */
    static final int IDS_PER_READ = 200;
    private static final DateTimeFormatter VERSION = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String RESOURCE_COLUMNS = "id, rtype, name, architecture, alias, base_image, bootloader_type, "
            + "kflavor, rolling, extra, last_deployed, created, updated";
    private static final String FILE_COLUMNS = "id, set_id, filename, filetype, sha256, size, filename_on_disk, extra, "
            + "complete, report";

    private final Database database;
    private final ResumableBlobStore store;
    /** Short-sha names are given one at a time, so two new files never pick the same prefix. */
    private final Object naming = new Object();
    /**
     * The resource lists by filter, for the read path ({@code GET boot-resources/}), kept only when this process is
     * the database's one user (embedded H2, so one region): every write through this service drops them. With a
     * shared database (PostgreSQL, several regions) another region's writes would not, so every read goes to it.
     */
    private final Map<Optional<ResourceType>, List<BootResource>> resourceLists = new ConcurrentHashMap<>();
    private final boolean soleUser;
    /** Bumped by every write, so a list read before a write is never kept after it. */
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

    @Activate
    public CatalogService(@Reference Database database,
            @Reference(name = "store", target = DEFAULT_STORE) ResumableBlobStore store) throws SQLException {
        this.database = database;
        this.store = store;
        this.soleUser = "h2".equals(database.kind());
        database.migrate(CatalogMigrations.OWNER, CatalogMigrations.forKind(database.kind()));
    }

    ResumableBlobStore store() {
        return store;
    }

    @Override
    public ResumableBlobStore blobStore() {
        return store;
    }

    @Override
    public List<String> collectGarbage(java.util.Collection<String> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<String> wanted = Set.copyOf(candidates);
        try {
            // decided per blob under the store's pin lock: an upload that pinned the same content keeps it
            return store.collectGarbage(sha -> !wanted.contains(sha) || isReferenced(sha), Duration.ZERO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- resources

    @Override
    public List<BootResource> resources(Optional<ResourceType> type) {
        if (!soleUser) {
            return readResources(type);
        }
        List<BootResource> cached = resourceLists.get(type);
        if (cached != null) {
            return cached;
        }
        long before = writes.get();
        List<BootResource> read = List.copyOf(readResources(type));
        if (writes.get() == before) {
            resourceLists.put(type, read);
            if (writes.get() != before) {
                resourceLists.clear(); // a write ended meanwhile: what was just kept may predate it
            }
        }
        return read;
    }

    private List<BootResource> readResources(Optional<ResourceType> type) {
        String order = type.isEmpty() ? " ORDER BY rtype, name, architecture" : " ORDER BY name, architecture";
        String where = type.isEmpty() ? "" : " WHERE rtype = " + type.get().code();
        return query("SELECT " + RESOURCE_COLUMNS + " FROM catalog_resource" + where + order, List.of(),
                CatalogService::resource);
    }

    @Override
    public Optional<BootResource> resource(long id) {
        return first("SELECT " + RESOURCE_COLUMNS + " FROM catalog_resource WHERE id = ?", List.of(id),
                CatalogService::resource);
    }

    @Override
    public Optional<BootResource> resource(ResourceType type, String name, String architecture) {
        return first("SELECT " + RESOURCE_COLUMNS
                + " FROM catalog_resource WHERE rtype = ? AND name = ? AND architecture = ? ORDER BY id",
                List.of(type.code(), name, architecture), CatalogService::resource);
    }

    private static final String FIND_RESOURCE = "SELECT " + RESOURCE_COLUMNS
            + " FROM catalog_resource WHERE rtype = ? AND name = ? AND architecture = ? AND alias = ?";
    private static final String INSERT_RESOURCE = "INSERT INTO catalog_resource (rtype, name, architecture, alias, "
            + "base_image, bootloader_type, kflavor, rolling, extra, created, updated) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public BootResource findOrCreate(NewBootResource r) {
        Optional<BootResource> existing = first(FIND_RESOURCE, keyOf(r), CatalogService::resource);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            update(INSERT_RESOURCE, insertOf(r, Timestamp.from(Instant.now())));
        } catch (UncheckedSqlException e) {
            // created meanwhile by another request: the unique key makes us find that one below
        }
        return first(FIND_RESOURCE, keyOf(r), CatalogService::resource).orElseThrow();
    }

    /**
     * All in one transaction (one commit for an import's resources instead of one each) and in three statements
     * whatever their number: the resources of their types are read once, the missing ones inserted in one batch, then
     * read again for their ids (a sync of 67 small images spent a third of a second here, in a fresh JVM, on three
     * statements per resource). Should another request or region create one of them meanwhile, the unique key fails
     * the batch, the transaction is rolled back and each is found or created on its own, as {@link #findOrCreate}
     * resolves that race.
     */
    @Override
    public List<BootResource> findOrCreateAll(List<NewBootResource> resources) {
        if (resources.size() < 2) {
            return BootResourceCatalog.super.findOrCreateAll(resources);
        }
        try {
            return inTransaction(c -> {
                Set<Integer> types = new TreeSet<>();
                resources.forEach(r -> types.add(r.type().code()));
                Map<List<Object>, BootResource> byKey = resourcesByKey(c, types);
                Timestamp now = Timestamp.from(Instant.now());
                Set<List<Object>> inserted = new HashSet<>();
                try (PreparedStatement ins = c.prepareStatement(INSERT_RESOURCE, Statement.NO_GENERATED_KEYS)) {
                    for (NewBootResource r : resources) {
                        List<Object> key = keyOf(r);
                        if (!byKey.containsKey(key) && inserted.add(key)) {
                            List<Object> row = insertOf(r, now);
                            for (int i = 0; i < row.size(); i++) {
                                ins.setObject(i + 1, row.get(i));
                            }
                            ins.addBatch();
                        }
                    }
                    if (!inserted.isEmpty()) {
                        ins.executeBatch();
                        byKey = resourcesByKey(c, types);
                    }
                }
                List<BootResource> found = new ArrayList<>(resources.size());
                for (NewBootResource r : resources) {
                    BootResource b = byKey.get(keyOf(r));
                    if (b == null) {
                        throw new SQLException("resource " + r.name() + " " + r.architecture() + " not found after "
                                + "its insert");
                    }
                    found.add(b);
                }
                return found;
            });
        } catch (UncheckedSqlException e) {
            return BootResourceCatalog.super.findOrCreateAll(resources);
        }
    }

    /** The resources of these types, by (type, name, architecture, alias), read on {@code c}. */
    private static Map<List<Object>, BootResource> resourcesByKey(Connection c, Set<Integer> types)
            throws SQLException {
        Map<List<Object>, BootResource> byKey = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + RESOURCE_COLUMNS
                + " FROM catalog_resource WHERE rtype = ?", Statement.NO_GENERATED_KEYS)) {
            for (int type : types) {
                s.setInt(1, type);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        BootResource b = resource(rs);
                        byKey.put(keyOf(b), b);
                    }
                }
            }
        }
        return byKey;
    }

    private static List<Object> keyOf(NewBootResource r) {
        return List.of(r.type().code(), r.name(), r.architecture(), r.alias());
    }

    private static List<Object> keyOf(BootResource r) {
        return List.of(r.type().code(), r.name(), r.architecture(), r.alias());
    }

    private static List<Object> insertOf(NewBootResource r, Timestamp now) {
        return List.of(r.type().code(), r.name(), r.architecture(), r.alias(), r.baseImage(), r.bootloaderType(),
                r.kflavor(), r.rolling(), Json.write(r.extra()), now, now);
    }

    /** Replaces extra and, when the resource has none yet, sets its base image. */
    void describeUpload(long resourceId, Map<String, String> extra, String baseImage) {
        update("UPDATE catalog_resource SET extra = ?, updated = ?, base_image = CASE WHEN base_image = '' THEN ? "
                + "ELSE base_image END WHERE id = ?",
                List.of(Json.write(extra), Timestamp.from(Instant.now()), baseImage, resourceId));
    }

    @Override
    public boolean deleteResource(long id) {
        Set<String> shas = new HashSet<>();
        List<Long> incomplete = new ArrayList<>();
        for (BootResourceSet set : sets(id)) {
            for (BootResourceFile file : files(set.id())) {
                shas.add(file.sha256());
                if (!file.complete()) {
                    incomplete.add(file.id());
                }
            }
        }
        boolean deleted = update("DELETE FROM catalog_resource WHERE id = ?", List.of(id)) > 0;
        dropBytes(shas, incomplete);
        return deleted;
    }

    // ---- sets

    @Override
    public List<BootResourceSet> sets(long resourceId) {
        return query("SELECT id, resource_id, version, label, created FROM catalog_set WHERE resource_id = ? ORDER BY id",
                List.of(resourceId), CatalogService::set);
    }

    /** In reads of up to {@value #IDS_PER_READ} resources each (one for a sync's usual window of sets). */
    @Override
    public Map<Long, List<BootResourceSet>> setsOf(java.util.Collection<Long> resourceIds) {
        Map<Long, List<BootResourceSet>> out = new HashMap<>();
        List<Long> ids = new ArrayList<>(new TreeSet<>(resourceIds));
        ids.forEach(id -> out.put(id, new ArrayList<>()));
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            for (BootResourceSet set : query("SELECT id, resource_id, version, label, created FROM catalog_set "
                    + "WHERE resource_id IN (" + marks + ") ORDER BY id", part, CatalogService::set)) {
                out.get(set.resourceId()).add(set);
            }
        }
        return out;
    }

    @Override
    public Optional<BootResourceSet> set(long setId) {
        return first("SELECT id, resource_id, version, label, created FROM catalog_set WHERE id = ?", List.of(setId),
                CatalogService::set);
    }

    @Override
    public BootResourceSet createSet(long resourceId, String version, String label) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String name = version != null ? version : nextVersion(resourceId);
            try {
                update("INSERT INTO catalog_set (resource_id, version, label, created) VALUES (?, ?, ?, ?)",
                        List.of(resourceId, name, label, Timestamp.from(Instant.now())));
                return first("SELECT id, resource_id, version, label, created FROM catalog_set "
                        + "WHERE resource_id = ? AND version = ?", List.of(resourceId, name), CatalogService::set)
                        .orElseThrow();
            } catch (UncheckedSqlException e) {
                if (version != null) {
                    throw e;
                }
                // another upload took this version name at the same moment: take the next one
            }
        }
        throw new IllegalStateException("could not name a new set of resource " + resourceId);
    }

    /** Today's YYYYMMDD, or YYYYMMDD.N with N one more than the highest taken. */
    private String nextVersion(long resourceId) {
        String today = LocalDate.now(ZoneOffset.UTC).format(VERSION);
        List<String> taken = query("SELECT version FROM catalog_set WHERE resource_id = ? AND version LIKE ?",
                List.of(resourceId, today + "%"), rs -> rs.getString(1));
        if (taken.isEmpty()) {
            return today;
        }
        int max = 0;
        for (String v : taken) {
            if (v.startsWith(today + ".")) {
                try {
                    max = Math.max(max, Integer.parseInt(v.substring(today.length() + 1)));
                } catch (NumberFormatException e) {
                    // a foreign version name: ignore
                }
            }
        }
        return today + "." + (max + 1);
    }

    @Override
    public boolean deleteSet(long setId) {
        Set<String> shas = new HashSet<>();
        List<Long> incomplete = new ArrayList<>();
        for (BootResourceFile file : files(setId)) {
            shas.add(file.sha256());
            if (!file.complete()) {
                incomplete.add(file.id());
            }
        }
        boolean deleted = update("DELETE FROM catalog_set WHERE id = ?", List.of(setId)) > 0;
        dropBytes(shas, incomplete);
        return deleted;
    }

    @Override
    public boolean isComplete(long setId) {
        List<BootResourceFile> files = files(setId);
        return !files.isEmpty() && files.stream().allMatch(BootResourceFile::complete);
    }

    // ---- files

    @Override
    public List<BootResourceFile> files(long setId) {
        return query("SELECT " + FILE_COLUMNS + " FROM catalog_file WHERE set_id = ? ORDER BY filename",
                List.of(setId), CatalogService::file);
    }

    @Override
    public Optional<BootResourceFile> file(long fileId) {
        return first("SELECT " + FILE_COLUMNS + " FROM catalog_file WHERE id = ?", List.of(fileId),
                CatalogService::file);
    }

    /**
     * The rows whose sha256 starts with the first {@link BlobNames#MIN_PREFIX} characters of a sha256, as a range
     * rather than {@code LIKE ?}: H2 parses and plans a statement with a {@code LIKE} parameter again at every
     * execution (the index range depends on the pattern), which made this the costliest statement of publishing a
     * synced set. Lower-case hex sorts below {@code g}, so {@code [prefix, prefix + "g")} holds exactly the sha256
     * values starting with the prefix.
     */
    static final String SAME_PREFIX = "sha256 >= ? AND sha256 < ?";

    private static List<String> samePrefix(String sha256) {
        String prefix = sha256.substring(0, BlobNames.MIN_PREFIX);
        return List.of(prefix, prefix + "g");
    }

    /**
     * The name on disk of the blob {@code sha256}: the one a file of it already has (the complete and oldest row
     * first, as {@link #anyFileWithSha} orders them), else the shortest prefix no other file has, nor one of
     * {@code pending} (files about to be inserted with it). One read: the rows sharing its short prefix.
     */
    private String diskName(String sha256, List<String> pending) {
        try (Connection c = database.connection(); PreparedStatement near = prepareNear(c)) {
            return diskName(near, sha256, pending);
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        }
    }

    private static PreparedStatement prepareNear(Connection c) throws SQLException {
        return c.prepareStatement("SELECT sha256, filename_on_disk FROM catalog_file WHERE " + SAME_PREFIX
                + " ORDER BY complete DESC, id", Statement.NO_GENERATED_KEYS);
    }

    /** {@link #diskName(String, List)} through a statement prepared by {@link #prepareNear}, reused for a batch. */
    private static String diskName(PreparedStatement near, String sha256, List<String> pending) throws SQLException {
        List<String> bounds = samePrefix(sha256);
        near.setString(1, bounds.get(0));
        near.setString(2, bounds.get(1));
        List<String> others = new ArrayList<>(pending);
        try (ResultSet rs = near.executeQuery()) {
            while (rs.next()) {
                String sha = rs.getString(1).trim();
                if (sha.equals(sha256)) {
                    return rs.getString(2);
                }
                others.add(sha);
            }
        }
        return BlobNames.shortestUniquePrefix(sha256, others);
    }

    /** Whether the store holds the blob {@code sha256} whole ({@code size} bytes). */
    private boolean stored(String sha256, long size) {
        try {
            return store.contains(sha256) && store.size(sha256).orElse(-1L) == size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any file with this sha256 (for its size and report). */
    Optional<BootResourceFile> anyFileWithSha(String sha256) {
        return first("SELECT " + FILE_COLUMNS + " FROM catalog_file WHERE sha256 = ? ORDER BY complete DESC, id",
                List.of(sha256), CatalogService::file);
    }

    @Override
    public BootResourceFile addFile(long setId, String filename, String filetype, String sha256, long size,
            Map<String, String> extra) {
        String sha = BlobNames.requireSha256(sha256);
        synchronized (naming) {
            String name = diskName(sha, List.of());
            boolean stored = stored(sha, size);
            update("INSERT INTO catalog_file (set_id, filename, filetype, sha256, size, filename_on_disk, extra, "
                    + "complete, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    List.of(setId, filename, filetype, sha, size, name, Json.write(extra), stored,
                            Timestamp.from(Instant.now())));
        }
        return first("SELECT " + FILE_COLUMNS + " FROM catalog_file WHERE set_id = ? AND filename = ?",
                List.of(setId, filename), CatalogService::file).orElseThrow();
    }

    @Override
    public BootResourceSet createSetWithFiles(long resourceId, String version, String label,
            List<NewBootResourceFile> files) {
        return createSetsWithFiles(List.of(new NewBootResourceSet(resourceId, version, label, files))).get(0);
    }

    @Override
    public List<BootResourceSet> createSetsWithFiles(List<NewBootResourceSet> sets) {
        synchronized (naming) {
            // names and completeness first (reads); the rows then go in one transaction
            List<List<List<Object>>> rowsOfSets = new ArrayList<>();
            List<String> batch = new ArrayList<>(); // the files of these sets are not in the table yet
            Timestamp now = Timestamp.from(Instant.now());
            // one connection and one prepared read for every file's name, not a borrow and a prepare each
            try (Connection c = database.connection(); PreparedStatement near = prepareNear(c)) {
                for (NewBootResourceSet set : sets) {
                    List<List<Object>> rows = new ArrayList<>();
                    for (NewBootResourceFile f : set.files()) {
                        String sha = BlobNames.requireSha256(f.sha256());
                        String name = diskName(near, sha, batch);
                        batch.add(sha);
                        rows.add(List.of(f.filename(), f.filetype(), sha, f.size(), name, Json.write(f.extra()),
                                stored(sha, f.size()), now));
                    }
                    rowsOfSets.add(rows);
                }
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            }
            return inTransaction(c -> {
                List<BootResourceSet> made = new ArrayList<>(sets.size());
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO catalog_set (resource_id, version, "
                        + "label, created) VALUES (?, ?, ?, ?)");
                        PreparedStatement sel = c.prepareStatement("SELECT id, resource_id, version, label, "
                                + "created FROM catalog_set WHERE resource_id = ? AND version = ?");
                        PreparedStatement insFile = c.prepareStatement("INSERT INTO catalog_file (set_id, "
                                + "filename, filetype, sha256, size, filename_on_disk, extra, complete, created) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < sets.size(); i++) {
                        NewBootResourceSet want = sets.get(i);
                        ins.setLong(1, want.resourceId());
                        ins.setString(2, want.version());
                        ins.setString(3, want.label());
                        ins.setTimestamp(4, now);
                        ins.executeUpdate();
                        BootResourceSet set;
                        sel.setLong(1, want.resourceId());
                        sel.setString(2, want.version());
                        try (ResultSet rs = sel.executeQuery()) {
                            rs.next();
                            set = set(rs);
                        }
                        for (List<Object> row : rowsOfSets.get(i)) {
                            insFile.setLong(1, set.id());
                            for (int k = 0; k < row.size(); k++) {
                                insFile.setObject(k + 2, row.get(k));
                            }
                            insFile.addBatch();
                        }
                        made.add(set);
                    }
                    insFile.executeBatch();
                }
                return made;
            });
        }
    }

    @Override
    public void markComplete(long fileId, ImageReport report) {
        update("UPDATE catalog_file SET complete = TRUE, report = ? WHERE id = ?",
                java.util.Arrays.asList(report == null ? null : Json.write(report), fileId));
    }

    /** Keeps a report with a file whose content was already stored (judged for its own declaration). */
    void attachReport(long fileId, ImageReport report) {
        update("UPDATE catalog_file SET report = ? WHERE id = ?", List.of(Json.write(report), fileId));
    }

    @Override
    public boolean isReferenced(String sha256) {
        return first("SELECT 1 FROM catalog_file WHERE sha256 = ?", List.of(sha256), rs -> 1).isPresent();
    }

    /** Deletes file rows (re-uploads without keep_old), their emptied sets, then bytes nobody references. */
    void deleteFiles(List<BootResourceFile> files) {
        Set<String> shas = new HashSet<>();
        Set<Long> sets = new HashSet<>();
        List<Long> incomplete = new ArrayList<>();
        for (BootResourceFile file : files) {
            update("DELETE FROM catalog_file WHERE id = ?", List.of(file.id()));
            shas.add(file.sha256());
            sets.add(file.setId());
            if (!file.complete()) {
                incomplete.add(file.id());
            }
        }
        // MAAS leaves no empty set behind
        for (long setId : sets) {
            update("DELETE FROM catalog_set WHERE id = ? AND NOT EXISTS "
                    + "(SELECT 1 FROM catalog_file f WHERE f.set_id = ?)", List.of(setId, setId));
        }
        dropBytes(shas, incomplete);
    }

    /** Removes partial uploads of deleted files and blobs no row references any more. */
    private void dropBytes(Set<String> shas, List<Long> incompleteFiles) {
        try {
            for (long id : incompleteFiles) {
                store.discardPartial(Long.toString(id));
            }
            collectGarbage(shas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- queries for metrics and validation

    @Override
    public List<UploadedImageCount> uploadedCustomImages() {
        return query("SELECT r.base_image, f.filetype, COUNT(*) FROM catalog_file f "
                + "JOIN catalog_set s ON f.set_id = s.id JOIN catalog_resource r ON s.resource_id = r.id "
                + "WHERE r.base_image <> '' AND f.complete = TRUE GROUP BY r.base_image, f.filetype ORDER BY r.base_image, f.filetype",
                List.of(), rs -> new UploadedImageCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    @Override
    public int markDeployed(String name, String arch, Instant when) {
        // "amd64" matches "amd64/generic" and "amd64/ga-24.04"; LIKE metacharacters in arch are not expected but escaped
        String prefix = arch.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return update("UPDATE catalog_resource SET last_deployed = ? WHERE name = ? AND architecture LIKE ? ESCAPE '!'",
                List.of(Timestamp.from(when), name, prefix));
    }

    @Override
    public List<String> usableArchitectures() {
        Set<String> arches = new TreeSet<>();
        for (BootResource r : resources(Optional.empty())) {
            Optional<BootResourceSet> latest = latestCompleteSet(r.id());
            if (latest.isEmpty()) {
                continue;
            }
            Set<String> types = new HashSet<>();
            files(latest.get().id()).forEach(f -> types.add(f.filetype()));
            boolean commissionable = types.contains("boot-kernel") && types.contains("boot-initrd")
                    && (types.contains("squashfs") || types.contains("root-image.gz"));
            boolean xinstallable = types.stream().anyMatch(t -> Set.of("squashfs", "root-image.gz", "root-tgz",
                    "root-tbz", "root-txz", "root-dd").contains(t));
            if (!commissionable || !xinstallable) {
                continue;
            }
            addUsable(arches, r.arch(), r.subarch());
            for (String key : List.of("subarches", "platform", "supported_platforms")) {
                for (String sub : r.extra().getOrDefault(key, "").split(",")) {
                    addUsable(arches, r.arch(), sub.strip());
                }
            }
        }
        return List.copyOf(arches);
    }

    private static void addUsable(Set<String> arches, String arch, String subarch) {
        if (!subarch.isEmpty() && !subarch.startsWith("hwe-") && !subarch.startsWith("ga-")) {
            arches.add(arch + "/" + subarch);
        }
    }

    /** The newest set whose files are all complete (by id, not version string). */
    Optional<BootResourceSet> latestCompleteSet(long resourceId) {
        List<BootResourceSet> sets = new ArrayList<>(sets(resourceId));
        java.util.Collections.reverse(sets);
        return sets.stream().filter(s -> isComplete(s.id())).findFirst();
    }

    // ---- JDBC plumbing

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A database failure, unchecked so that it can pass lambdas; the message never carries credentials. */
    static final class UncheckedSqlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSqlException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    <T> List<T> query(String sql, List<?> parameters, Row<T> row) {
        try (Connection c = database.connection(); PreparedStatement s = prepare(c, sql, parameters);
                ResultSet rs = s.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        }
    }

    <T> Optional<T> first(String sql, List<?> parameters, Row<T> row) {
        List<T> all = query(sql, parameters, row);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    int update(String sql, List<?> parameters) {
        forgetResourceLists();
        try (Connection c = database.connection(); PreparedStatement s = prepare(c, sql, parameters)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        } finally {
            forgetResourceLists(); // also after: a list read while the write ran may hold the rows before it
        }
    }

    /** Work on one connection in one transaction. */
    @FunctionalInterface
    interface Transaction<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws (a database failure
     * as {@link UncheckedSqlException}). The cached resource lists are dropped before and after, as by {@link #update}.
     */
    private <T> T inTransaction(Transaction<T> work) {
        forgetResourceLists();
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        } finally {
            forgetResourceLists(); // also after: a list read while the write ran may hold the rows before it
        }
    }

    private void forgetResourceLists() {
        writes.incrementAndGet();
        resourceLists.clear();
    }

    private static PreparedStatement prepare(Connection c, String sql, List<?> parameters) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql, Statement.NO_GENERATED_KEYS);
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
        return s;
    }

    private static BootResource resource(ResultSet rs) throws SQLException {
        Timestamp deployed = rs.getTimestamp(11);
        return new BootResource(rs.getLong(1), ResourceType.ofCode(rs.getInt(2)).orElseThrow(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getBoolean(9), Json.map(rs.getString(10)), deployed == null ? null : deployed.toInstant(),
                rs.getTimestamp(12).toInstant(), rs.getTimestamp(13).toInstant());
    }

    private static BootResourceSet set(ResultSet rs) throws SQLException {
        return new BootResourceSet(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant());
    }

    private static BootResourceFile file(ResultSet rs) throws SQLException {
        return new BootResourceFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5).trim(), rs.getLong(6), rs.getString(7), Json.map(rs.getString(8)), rs.getBoolean(9),
                Json.report(rs.getString(10)));
    }
}
