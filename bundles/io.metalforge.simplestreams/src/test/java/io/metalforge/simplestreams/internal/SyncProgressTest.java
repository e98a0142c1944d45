package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.TestApiRequest;
import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.source.ImageImporter;
import io.metalforge.catalog.internal.BootResourceHandler;
import io.metalforge.catalog.internal.CatalogService;

/**
 * While a slow squashfs downloads from the loopback mirror into the real store and catalog, the catalog's
 * {@code boot-resources/{id}/} handler shows the synced set as MAAS does: {@code complete: false} with a
 * {@code progress} between 0 and 100 on the set and on the incomplete file; the catalog itself holds no set, so
 * nothing incomplete is usable. Once verified and published the set is complete and carries no progress.
 */
class SyncProgressTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    @Test
    void aSyncingSetShowsItsProgressUnderItsResourceUntilComplete() throws Exception {
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Progress test <progress@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("m"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 1_000, 2_000, 600_000).publish();
            SyncPlatform platform = new SyncPlatform(dir);
            CatalogService catalog = platform.catalog;
            try (MirrorServer server = new MirrorServer(f.mirror);
                    Importer importer = platform.importer(dir.resolve("data"), null,
                            new Downloader.Settings(4, 2, Duration.ofMillis(10), Duration.ofMillis(50),
                                    Duration.ofSeconds(10)))) {
                server.faults.put("noble/amd64/20250709/squashfs", new MirrorServer.Slow(200_000));
                BootSource s = importer.repository.save(new BootSource(0, "t", server.url().toString(), 1, true, "",
                        gpg.exportPublic(false), false, "", ""));
                importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble", List.of("amd64"), null, null));
                BootResourceHandler read = new BootResourceHandler(catalog, new ImporterService(importer));
                ApiAction get = read.actions().stream().filter(a -> a.method().equals("GET")).findFirst()
                        .orElseThrow();

                assertTrue(importer.start());
                Map<String, Object> seen = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen == null && importer.importing() && System.nanoTime() < deadline) {
                    Optional<BootResource> noble = catalog.resource(ResourceType.SYNCED, "ubuntu/noble",
                            "amd64/ga-24.04");
                    if (noble.isPresent()) {
                        // nothing of the syncing set is in the catalog: not usable, not deployable
                        assertTrue(catalog.sets(noble.get().id()).isEmpty());
                        assertFalse(catalog.usableArchitectures().contains("amd64/ga-24.04"));
                        Map<String, Object> json = resource(read, get, noble.get().id());
                        Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) json.get("sets"))
                                .get("20250709");
                        if (set != null) {
                            Map<String, Object> squashfs = (Map<String, Object>) ((Map<String, Object>) set
                                    .get("files")).get("squashfs");
                            double p = ((Number) squashfs.get("progress")).doubleValue();
                            if (p > 0 && p < 100) {
                                seen = set;
                            }
                        }
                    }
                    Thread.sleep(20);
                }
                assertNotNull(seen, "the syncing set never showed partial progress under boot-resources/{id}/");
                assertEquals(false, seen.get("complete"));
                double setProgress = ((Number) seen.get("progress")).doubleValue();
                assertTrue(setProgress > 0 && setProgress < 100, "set progress " + setProgress);
                Map<String, Object> squashfs = (Map<String, Object>) ((Map<String, Object>) seen.get("files"))
                        .get("squashfs");
                assertEquals(false, squashfs.get("complete"));
                assertEquals(600_000L, ((Number) squashfs.get("size")).longValue());
                assertEquals("squashfs", squashfs.get("filetype"));

                SyncEngine.Report r = importer.runAndWait(); // waits for the running import
                assertTrue(r.ok(), r.errors().toString());
                BootResource noble = catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/ga-24.04")
                        .orElseThrow();
                Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) resource(read, get,
                        noble.id()).get("sets")).get("20250709");
                assertEquals(true, set.get("complete"));
                assertFalse(set.containsKey("progress"));
                for (Object file : ((Map<String, Object>) set.get("files")).values()) {
                    assertEquals(true, ((Map<String, Object>) file).get("complete"));
                    assertFalse(((Map<String, Object>) file).containsKey("progress"));
                }
                assertTrue(importer.syncingSet("ubuntu/noble", "amd64/ga-24.04").isEmpty());
            }
        }
    }

    @Test
    void aSetThatFailsLeavesNoEmptyResourceBehind() throws Exception {
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Progress test <progress@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("m"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 1_000, 2_000, 30_000).publish();
            SyncPlatform platform = new SyncPlatform(dir);
            CatalogService catalog = platform.catalog;
            try (MirrorServer server = new MirrorServer(f.mirror);
                    Importer importer = platform.importer(dir.resolve("data"), null,
                            new Downloader.Settings(4, 2, Duration.ofMillis(10), Duration.ofMillis(50),
                                    Duration.ofSeconds(5)))) {
                server.faults.put("noble/amd64/20250709/squashfs", new MirrorServer.Corrupt());
                BootSource s = importer.repository.save(new BootSource(0, "t", server.url().toString(), 1, true, "",
                        gpg.exportPublic(false), false, "", ""));
                importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble", List.of("amd64"), null, null));
                SyncEngine.Report r = importer.runAndWait();
                assertFalse(r.ok());
                assertTrue(catalog.resources(Optional.of(ResourceType.SYNCED)).isEmpty(),
                        "a synced resource without a verified set stays in the catalog");
            }
        }
    }

    /**
     * The first import of a release, as a user watches it through the API: op=import, then op=import_progress says
     * importing, and boot-resources/{id}/ of the service's catalog shows the set with complete false and a progress
     * that moves, until op=import_progress says complete and the set is complete.
     */
    @SuppressWarnings("unchecked")
    @Test
    void theFirstImportOfAReleaseShowsItsSetMovingThroughTheApi() throws Exception {
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Progress test <progress@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("m"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 1_000, 2_000, 400_000).publish();
            java.nio.file.Path keyring = java.nio.file.Files.write(dir.resolve("keyring.gpg"), gpg.exportPublic(false));
            SyncPlatform platform = new SyncPlatform(dir);
            try (MirrorServer server = new MirrorServer(f.mirror)) {
                server.faults.put("noble/amd64/20250709/squashfs", new MirrorServer.Slow(200_000));
                SimpleStreamsService service = new SimpleStreamsService(
                        BootSourceApiTest.directories(dir.resolve("data")), platform.database, platform.catalog,
                        SyncPlatform.builtInSources(), BootSourceApiTest.executor(), BootSourceApiTest.config(Map.of("auto_import", false,
                                "default_source_url", server.url().toString(), "default_keyring",
                                keyring.toString())));
                try {
                    ImportOperations ops = new ImportOperations(service);
                    BootResourceHandler read = new BootResourceHandler(platform.catalog, service);
                    ApiAction get = read.actions().stream().filter(a -> a.method().equals("GET")).findFirst()
                            .orElseThrow();
                    assertEquals("Import of boot resources started", op(ops, "import"));
                    List<Double> seen = new java.util.ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while ((Boolean) op(ops, "is_importing") && System.nanoTime() < deadline) {
                        Map<String, Object> progress = (Map<String, Object>) op(ops, "import_progress");
                        Optional<BootResource> noble = platform.catalog.resource(ResourceType.SYNCED, "ubuntu/noble",
                                "amd64/ga-24.04");
                        if (noble.isPresent()) {
                            Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) resource(read, get,
                                    noble.get().id()).get("sets")).get("20250709");
                            // complete once published, which may come a moment before the import ends
                            if (set != null && Boolean.FALSE.equals(set.get("complete"))) {
                                assertEquals("importing", progress.get("state"));
                                assertTrue(set.containsKey("progress"), set.toString());
                                double p = ((Number) set.get("progress")).doubleValue();
                                if (seen.isEmpty() || seen.get(seen.size() - 1) != p) {
                                    seen.add(p);
                                }
                            }
                        }
                        Thread.sleep(50);
                    }
                    double max = seen.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                    assertTrue(seen.size() >= 2 && seen.get(0) < max && max < 100
                            && seen.stream().anyMatch(p -> p > 0 && p < 100), "the set's progress never moved: " + seen);
                    Map<String, Object> done = (Map<String, Object>) op(ops, "import_progress");
                    assertEquals("complete", done.get("state"), done.toString());
                    BootResource noble = platform.catalog.resource(ResourceType.SYNCED, "ubuntu/noble",
                            "amd64/ga-24.04").orElseThrow();
                    Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) resource(read, get,
                            noble.id()).get("sets")).get("20250709");
                    assertEquals(true, set.get("complete"));
                } finally {
                    service.deactivate();
                }
            }
        }
    }

    private static Object op(ImportOperations ops, String op) throws Exception {
        ApiAction a = ops.actions().stream().filter(x -> x.op().equals(op)).findFirst().orElseThrow();
        return ops.handle(a, TestApiRequest.of(a.method(), op, Map.of())).body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(BootResourceHandler read, ApiAction get, long id) throws Exception {
        return (Map<String, Object>) read.handle(get, TestApiRequest.of("GET", null, Map.of("id", Long.toString(id))))
                .body();
    }

    /** The importer as SimpleStreamsService publishes it (that component needs OSGi directories and registries). */
    private record ImporterService(Importer importer) implements ImageImporter {
        @Override
        public boolean startImport() {
            return importer.start();
        }

        @Override
        public boolean stopImport() {
            return importer.stop();
        }

        @Override
        public boolean isImporting() {
            return importer.importing();
        }

        @Override
        public Map<String, Object> progress() {
            return importer.progress().toMap();
        }

        @Override
        public Optional<Map<String, Object>> syncingSet(String name, String architecture) {
            return importer.syncingSet(name, architecture);
        }
    }
}
