package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.TestApiRequest;
import io.metalforge.catalog.internal.BootResourceHandler;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/**
 * Two platform instances (two component graphs: database service, catalog, sync) on one PostgreSQL database and one
 * shared blob store folder, as two regions are deployed: what one region syncs, the other lists through its own
 * {@code boot-resources/{id}/} and its own sync recognises (it downloads nothing). The catalog tables are the only
 * record of synced sets, so there is nothing per instance to disagree. Runs when METALFORGE_TEST_PG_URL is set (CI
 * starts PostgreSQL with .ci/start-postgres.sh).
 */
class TwoRegionsTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    @Test
    void bothRegionsSeeTheSameSyncedSets() throws Exception {
        Assumptions.assumeTrue(TestDatabases.setting("METALFORGE_TEST_PG_URL").isPresent(),
                "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh (apt package postgresql)");
        DatabaseService dbA = TestDatabases.postgres(dir.resolve("a")).orElseThrow();
        DatabaseService dbB = TestDatabases.postgres(dir.resolve("b")).orElseThrow();
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Regions test <regions@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("m"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 1_000, 2_000, 30_000).publish();
            SyncPlatform a = new SyncPlatform(dir.resolve("shared"), dbA);
            forget(dbA); // this database may hold what an earlier run synced
            SyncPlatform b = new SyncPlatform(dir.resolve("shared"), dbB);
            Downloader.Settings settings = new Downloader.Settings(4, 2, Duration.ofMillis(10), Duration.ofMillis(50),
                    Duration.ofSeconds(5));
            try (MirrorServer server = new MirrorServer(f.mirror);
                    Importer importerA = a.importer(dir.resolve("a/data"), null, settings);
                    Importer importerB = b.importer(dir.resolve("b/data"), null, settings)) {
                BootSource s = importerA.repository.save(new BootSource(0, "t", server.url().toString(), 1, true, "",
                        gpg.exportPublic(false), false, "", ""));
                importerA.repository.save(new Selection(0, s.id(), "ubuntu", "noble", List.of("amd64"), null, null));
                SyncEngine.Report r = importerA.runAndWait();
                assertTrue(r.ok(), r.errors().toString());

                // region B sees region A's source and synced sets
                assertEquals(List.of("t"), importerB.repository.sources().stream().map(BootSource::name).toList());
                assertEquals(importerA.state.resources(), importerB.state.resources());
                assertEquals(List.of("ubuntu/noble"), importerB.state.resources().stream()
                        .map(SyncedState.Resource::name).toList());
                BootResource noble = b.catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/ga-24.04")
                        .orElseThrow();
                BootResourceHandler readB = new BootResourceHandler(b.catalog);
                ApiAction get = readB.actions().stream().filter(x -> x.method().equals("GET")).findFirst()
                        .orElseThrow();
                Map<String, Object> json = (Map<String, Object>) readB.handle(get, TestApiRequest.of("GET", null,
                        Map.of("id", Long.toString(noble.id())))).body();
                Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) json.get("sets"))
                        .get("20250709");
                assertEquals(true, set.get("complete"));
                assertTrue(b.catalog.usableArchitectures().contains("amd64/generic"), b.catalog.usableArchitectures().toString());

                // and its own import finds them up to date: nothing is downloaded again
                long payload = server.requests.stream().filter(p -> !p.startsWith("streams/")).count();
                SyncEngine.Report rb = importerB.runAndWait();
                assertTrue(rb.ok(), rb.errors().toString());
                assertEquals(List.of(), rb.published());
                assertEquals(payload, server.requests.stream().filter(p -> !p.startsWith("streams/")).count());
            }
        } finally {
            forget(dbA);
            dbA.close();
            dbB.close();
        }
    }

    private static void forget(DatabaseService db) throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM catalog_resource");
            st.execute("DELETE FROM simplestreams_synced");
            st.execute("DELETE FROM simplestreams_boot_source");
        }
    }
}
