package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.TestApiRequest;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/**
 * Boot source and selection ids are never handed out twice, as MAAS's sequences guarantee: on the embedded database
 * and on PostgreSQL (when METALFORGE_TEST_PG_URL is set, see .ci/start-postgres.sh), through the platform's own
 * Database service and its migrations.
 */
class BootSourceIdsTest {

    @TempDir
    Path dir;

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private DatabaseService open(String kind, Path data) {
        if (kind.equals("h2")) {
            return TestDatabases.h2(data);
        }
        Optional<DatabaseService> pg = TestDatabases.postgres(data);
        Assumptions.assumeTrue(pg.isPresent(), "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh");
        return pg.get();
    }

    private static ApiResponse call(ApiHandler h, String method, Map<String, String> path, Object... params)
            throws ApiException {
        ApiAction action = h.actions().stream().filter(a -> a.method().equals(method) && a.op() == null).findFirst()
                .orElseThrow();
        return h.handle(action, TestApiRequest.of(method, null, path, params));
    }

    @SuppressWarnings("unchecked")
    private static long createSource(BootSourcesHandler sources, String url) throws ApiException {
        ApiResponse created = call(sources, "POST", Map.of(), "url", url, "skip_keyring_verification", "true");
        assertEquals(201, created.status());
        return ((Number) ((Map<String, Object>) created.body()).get("id")).longValue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDeletedBootSourceIdIsNotHandedOutAgain(String kind) throws Exception {
        DatabaseService db = open(kind, dir.resolve("data"));
        SyncPlatform platform = new SyncPlatform(dir, db);
        SimpleStreamsService service = new SimpleStreamsService(BootSourceApiTest.directories(dir.resolve("data")),
                db, platform.catalog, SyncPlatform.builtInSources(), BootSourceApiTest.executor(),
                BootSourceApiTest.config(Map.of("auto_import", false)));
        try {
            BootSourcesHandler sources = new BootSourcesHandler(service);
            BootSourceHandler source = new BootSourceHandler(service);
            long suffix = System.nanoTime(); // PostgreSQL is shared by test runs: unique URLs
            long first = createSource(sources, "http://mirror.example/" + suffix + "/a/streams/v1/index.json");
            assertEquals(204, call(source, "DELETE", Map.of("id", Long.toString(first))).status());
            long second = createSource(sources, "http://mirror.example/" + suffix + "/b/streams/v1/index.json");
            assertTrue(second > first, second + " after " + first);
            call(source, "DELETE", Map.of("id", Long.toString(second)));
        } finally {
            service.deactivate();
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void selectionIdsAndExistingDataAfterTheMigration(String kind) throws Exception {
        DatabaseService db = open(kind, dir.resolve("data"));
        List<io.metalforge.api.db.Migration> tablesOnly = JdbcBootSourceRepository.migrations(db.kind()).subList(0, 1);
        db.migrate(JdbcBootSourceRepository.OWNER, tablesOnly);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            // a database from before the sequences: tables of migration 1 with rows, ids taken as "highest + 1"
            s.execute("DROP TABLE IF EXISTS simplestreams_selection");
            s.execute("DROP TABLE IF EXISTS simplestreams_boot_source");
            s.execute("DROP SEQUENCE IF EXISTS simplestreams_selection_ids");
            s.execute("DROP SEQUENCE IF EXISTS simplestreams_boot_source_ids");
            s.execute("DELETE FROM schema_migrations WHERE owner = 'simplestreams'");
        }
        db.migrate(JdbcBootSourceRepository.OWNER, tablesOnly);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO simplestreams_boot_source VALUES (7, 'old', 'http://old.example/', 1, TRUE, '', '',"
                    + " TRUE, '2025-01-01', '2025-01-01')");
            s.execute("INSERT INTO simplestreams_selection VALUES (12, 7, 'ubuntu', 'noble', 'amd64', '*', '*')");
        }
        JdbcBootSourceRepository repo = new JdbcBootSourceRepository(db);
        try {
            BootSource source = repo.save(new BootSource(0, "new", "http://new.example/", 2, true, "", new byte[0],
                    true, "2025-01-02", "2025-01-02"));
            assertEquals(8, source.id());
            Selection jammy = repo.save(new Selection(0, 7, "ubuntu", "jammy", List.of("amd64"), List.of("*"),
                    List.of("*")));
            assertEquals(13, jammy.id());
            assertTrue(repo.deleteSelection(7, jammy.id()));
            Selection focal = repo.save(new Selection(0, 7, "ubuntu", "focal", List.of("amd64"), List.of("*"),
                    List.of("*")));
            assertEquals(14, focal.id());
            assertTrue(repo.delete(source.id()));
            assertEquals(9, repo.save(new BootSource(0, "newer", "http://newer.example/", 3, true, "", new byte[0],
                    true, "2025-01-03", "2025-01-03")).id());
        } finally {
            db.close();
        }
    }
}
