package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.TestApiRequest;
import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.ApiAction;
import io.metalforge.catalog.internal.BootResourceHandler;
import io.metalforge.catalog.internal.CatalogService;
import io.metalforge.store.fs.internal.FsBlobStore;

/**
 * A signed stream synced into the platform's real filesystem store and boot resource catalog (on an embedded H2
 * database): the synced resources list through the catalog's boot-resource handler like MAAS's, newer versions
 * replace older sets and deselected images leave the catalog.
 */
class CatalogPublicationTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    @Test
    void syncedSetsAppearInTheCatalogAndFollowTheStream() throws Exception {
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Catalog test <catalog@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("m1"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 1_000, 2_000, 30_000).bootloader("20250709")
                    .publish();
            SyncPlatform platform = new SyncPlatform(dir);
            FsBlobStore store = platform.store;
            CatalogService catalog = platform.catalog;
            try (MirrorServer server = new MirrorServer(f.mirror);
                    Importer importer = platform.importer(dir.resolve("data"), null,
                            new Downloader.Settings(4, 2, Duration.ofMillis(10), Duration.ofMillis(50),
                                    Duration.ofSeconds(5)))) {
                BootSource s = importer.repository.save(new BootSource(0, "t", server.url().toString(), 1, true, "",
                        gpg.exportPublic(false), false, "", ""));
                Selection sel = importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble",
                        List.of("amd64"), null, null));
                SyncEngine.Report r = importer.runAndWait();
                assertTrue(r.ok(), r.errors().toString());

                List<BootResource> synced = catalog.resources(Optional.of(ResourceType.SYNCED));
                assertEquals(List.of("grub-efi-signed/uefi", "ubuntu/noble"),
                        synced.stream().map(BootResource::name).sorted().toList());
                BootResource noble = catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/ga-24.04")
                        .orElseThrow();
                assertEquals("ubuntu/24.04", noble.alias());
                List<BootResourceSet> sets = catalog.sets(noble.id());
                assertEquals(1, sets.size());
                assertTrue(catalog.isComplete(sets.get(0).id()));

                BootResourceHandler read = new BootResourceHandler(catalog);
                ApiAction get = read.actions().stream().filter(a -> a.method().equals("GET")).findFirst()
                        .orElseThrow();
                Map<String, Object> json = (Map<String, Object>) read.handle(get, TestApiRequest.of("GET", null,
                        Map.of("id", Long.toString(noble.id())))).body();
                assertEquals("Synced", json.get("type"));
                assertEquals("generic,ga-24.04", json.get("subarches"));
                Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) json.get("sets"))
                        .get("20250709");
                assertEquals(true, set.get("complete"));
                assertEquals(3, ((Map<String, Object>) set.get("files")).size());

                // a newer version upstream replaces the set in the catalog; the old blobs go
                String oldSquashfs = importer.state.resources().stream().filter(x -> x.name().equals("ubuntu/noble"))
                        .findFirst().orElseThrow().latest().orElseThrow().files().get("squashfs").sha256();
                MirrorFixture f2 = new MirrorFixture(dir.resolve("m2"), gpg)
                        .ubuntu("24.04", "noble", "amd64", "20250801", 1_001, 2_001, 30_001).bootloader("20250709")
                        .publish();
                importer.repository.save(new BootSource(s.id(), "t", f2.mirror.toUri().toString(), 1, true, "",
                        gpg.exportPublic(true), false, "", ""));
                r = importer.runAndWait();
                assertTrue(r.ok(), r.errors().toString());
                assertEquals(List.of("20250801"), catalog.sets(noble.id()).stream().map(BootResourceSet::version)
                        .toList());
                assertFalse(store.contains(oldSquashfs));

                // deselected: gone from the catalog too
                importer.repository.deleteSelection(s.id(), sel.id());
                r = importer.runAndWait();
                assertTrue(r.ok(), r.errors().toString());
                assertEquals(List.of("grub-efi-signed/uefi"), catalog.resources(Optional.of(ResourceType.SYNCED))
                        .stream().map(BootResource::name).toList());
            }
        }
    }
}
