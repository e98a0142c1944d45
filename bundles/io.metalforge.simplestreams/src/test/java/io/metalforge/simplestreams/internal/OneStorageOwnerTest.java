package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.store.ResumableBlobStore;

/**
 * The catalog owns image storage: the sync stores into the catalog's blob store, its sets are catalog rows (the only
 * record of them), and its clean-up deletes bytes only through the catalog's garbage collector, which honours pins
 * and every file's references. Also: what earlier versions kept in JSON files is carried over on the first start.
 */
class OneStorageOwnerTest {

    @TempDir
    Path dir;

    @Test
    void aSyncCleanupNeverDeletesTheContentOfAnUploadInFlight() throws Exception {
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Storage test <storage@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("m"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 1_000, 2_000, 30_000).publish();
            SyncPlatform platform = new SyncPlatform(dir);
            try (MirrorServer server = new MirrorServer(f.mirror);
                    Importer importer = platform.importer(dir.resolve("data"), null, new Downloader.Settings(4, 2,
                            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)))) {
                BootSource s = importer.repository.save(new BootSource(0, "t", server.url().toString(), 1, true, "",
                        gpg.exportPublic(false), false, "", ""));
                Selection sel = importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble",
                        List.of("amd64"), null, null));
                assertTrue(importer.runAndWait().ok());
                SyncedState.Set_ synced = importer.state.resources().stream()
                        .filter(r -> r.name().equals("ubuntu/noble")).findFirst().orElseThrow().latest().orElseThrow();
                String squashfs = synced.files().get("squashfs").sha256();
                String kernel = synced.files().get("boot-kernel").sha256();

                // An upload of the same bytes is in flight: it pinned the content (as the upload path does before it
                // looks whether the blob is stored) and has not written its file row yet. Meanwhile the sync drops
                // the deselected image.
                ResumableBlobStore.Pin upload = platform.store.pin(squashfs);
                importer.repository.deleteSelection(s.id(), sel.id());
                SyncEngine.Report r = importer.runAndWait();
                assertTrue(r.ok(), r.errors().toString());
                assertTrue(platform.catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/ga-24.04").isEmpty());
                assertFalse(platform.store.contains(kernel), "unpinned, unreferenced bytes of the image go");
                assertTrue(platform.store.contains(squashfs), "the pinned content of the upload in flight stays");

                // the upload commits: its file is complete at once, on the bytes that were kept
                BootResource custom = platform.catalog.findOrCreate(new NewBootResource(ResourceType.UPLOADED,
                        "custom/noble-tuned", "amd64/generic", "", "ubuntu/noble", "", "", false, Map.of()));
                BootResourceSet set = platform.catalog.createSet(custom.id(), null, "uploaded");
                assertTrue(platform.catalog.addFile(set.id(), "root-tgz", "root-tgz", squashfs, 30_000, Map.of())
                        .complete());
                upload.close();
                // referenced now: the one collector keeps it
                assertEquals(List.of(), platform.catalog.collectGarbage(List.of(squashfs)));
                assertTrue(platform.store.contains(squashfs));
            }
        }
    }

    @Test
    void sourcesJsonAndSyncedJsonAreCarriedOverIntoTheDatabaseAndTheCatalogOnce() throws Exception {
        SyncPlatform platform = new SyncPlatform(dir);
        Path data = Files.createDirectories(dir.resolve("data/simplestreams"));
        byte[] kernel = "kernel bytes".getBytes();
        String kernelSha = MirrorFixture.sha256(Files.write(dir.resolve("k"), kernel));
        platform.store.write(kernelSha, kernel.length, new java.io.ByteArrayInputStream(kernel));
        BootSource old = new BootSource(7, "Mirror", "http://mirror.example/ephemeral-v3/stable", 3, true, "",
                new byte[] {1, 2, 3}, false, "2025-01-01T00:00:00.000", "2025-01-01T00:00:00.000");
        JsonFiles.write(data.resolve("sources.json"), new LegacyFiles.Sources(9, List.of(old),
                List.of(new Selection(8, 7, "ubuntu", "jammy", List.of("amd64"), null, null))));
        TreeMap<String, SyncedState.Set_> sets = new TreeMap<>();
        sets.put("20250101", new SyncedState.Set_("20250101", "stable", new TreeMap<>(Map.of("boot-kernel",
                new SyncedState.File("boot-kernel", "boot-kernel", kernelSha, kernel.length, Map.of())))));
        JsonFiles.write(data.resolve("synced.json"), new LegacyFiles.Synced(2, List.of(new SyncedState.Resource(1,
                "ubuntu/jammy", "amd64/ga-22.04", "ubuntu/22.04", "generic", null, Map.of("subarches", "generic"), 7,
                "7:ubuntu/jammy/amd64", sets)), new TreeSet<>(List.of(kernelSha))));

        SimpleStreamsService service = new SimpleStreamsService(BootSourceApiTest.directories(dir.resolve("data")),
                platform.database, platform.catalog, SyncPlatform.builtInSources(), BootSourceApiTest.executor(),
                BootSourceApiTest.config(Map.of("auto_import", false)));
        try {
            List<BootSource> sources = platform.repository.sources();
            assertEquals(List.of("Mirror"), sources.stream().map(BootSource::name).toList(),
                    "the carried-over source, and no default one beside it");
            assertEquals("jammy", platform.repository.selections(sources.get(0).id()).get(0).release());
            BootResource jammy = platform.catalog.resource(ResourceType.SYNCED, "ubuntu/jammy", "amd64/ga-22.04")
                    .orElseThrow();
            List<BootResourceSet> catalogSets = platform.catalog.sets(jammy.id());
            assertEquals(List.of("20250101"), catalogSets.stream().map(BootResourceSet::version).toList());
            assertTrue(platform.catalog.isComplete(catalogSets.get(0).id()));
            assertEquals(Optional.of("20250101"), service.importer.state.resources().get(0).latest()
                    .map(SyncedState.Set_::version));
            assertFalse(Files.exists(data.resolve("sources.json")));
            assertFalse(Files.exists(data.resolve("synced.json")));
            assertTrue(Files.exists(data.resolve("synced.json.migrated")), "kept for inspection");
        } finally {
            service.deactivate();
        }
        // a second start finds nothing to carry over and changes nothing
        SimpleStreamsService again = new SimpleStreamsService(BootSourceApiTest.directories(dir.resolve("data")),
                platform.database, platform.catalog, SyncPlatform.builtInSources(), BootSourceApiTest.executor(),
                BootSourceApiTest.config(Map.of("auto_import", false)));
        again.deactivate();
        assertEquals(1, platform.repository.sources().size());
        assertEquals(1, platform.catalog.resources(Optional.of(ResourceType.SYNCED)).size());
    }
}
