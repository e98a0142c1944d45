package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/**
 * The catalog's migrations as the database records them: both versions on either kind, the embedded database's
 * identity columns reserving 1000 values at a time, PostgreSQL's sequences left as they were. On the embedded
 * database and on PostgreSQL when METALFORGE_TEST_PG_URL is set (see .ci/start-postgres.sh).
 */
class CatalogMigrationsTest {

    @TempDir
    Path dir;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void bothVersionsAreRecordedAndOnlyTheEmbeddedDatabaseReservesIdentities(String kind) throws Exception {
        DatabaseService db = TestDatabases.byKind(kind, dir.resolve("data"));
        try {
            CatalogService catalog = new Platform(dir, 0, db).catalog;
            try (Connection c = db.connection()) {
                assertEquals(List.of(1, 2), ints(c, "SELECT version FROM schema_migrations WHERE owner = ? "
                        + "ORDER BY version", CatalogMigrations.OWNER));
                for (String table : List.of("catalog_resource", "catalog_set", "catalog_file")) {
                    if ("h2".equals(kind)) {
                        assertEquals(List.of(1000), ints(c, "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                                + "WHERE TABLE_NAME = ? AND COLUMN_NAME = 'ID'", table.toUpperCase()), table);
                    } else {
                        assertEquals(List.of(1), ints(c, "SELECT seqcache FROM pg_sequence WHERE seqrelid = "
                                + "pg_get_serial_sequence(?, 'id')::regclass", table), table);
                    }
                }
            }
            // and the ids still come one after the other within a connection's reserve
            String run = Long.toString(System.nanoTime(), 36);
            List<BootResource> made = catalog.findOrCreateAll(List.of(resource("a-" + run), resource("b-" + run)));
            assertTrue(made.get(1).id() > made.get(0).id(), made.toString());
            made.forEach(r -> catalog.deleteResource(r.id()));
        } finally {
            db.close();
        }
    }

    private static NewBootResource resource(String architecture) {
        return new NewBootResource(ResourceType.SYNCED, "ubuntu/noble", "amd64/" + architecture, "", "", "",
                "generic", false, Map.of());
    }

    private static List<Integer> ints(Connection c, String sql, String parameter) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }
}
