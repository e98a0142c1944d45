package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.metalforge.api.db.Migration;

/**
 * The persistence behaviour every database must show; run against H2 ({@link DatabaseH2Test}) and PostgreSQL
 * ({@link DatabasePostgresTest}). Table and owner names are unique per test so a shared PostgreSQL stays usable.
 */
abstract class DatabaseContract {

    /** Settings of the database under test. */
    abstract JdbcSettings settings(int poolSize);

    private final List<DatabaseService> opened = new ArrayList<>();
    String owner;
    String table;

    @BeforeEach
    void names() {
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        owner = "test-" + suffix;
        table = "t_" + suffix;
    }

    @AfterEach
    void cleanUp() throws SQLException {
        if (!opened.isEmpty()) {
            try (Connection c = opened.get(0).connection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("DROP TABLE IF EXISTS " + table + "_log");
                s.execute("DELETE FROM schema_migrations WHERE owner = '" + owner + "'");
                s.execute("DELETE FROM schema_locks WHERE owner = '" + owner + "'");
            } catch (SQLException e) {
                // bookkeeping tables may not exist when a test failed early
            }
        }
        opened.forEach(DatabaseService::close);
    }

    DatabaseService open(int poolSize, long timeoutMillis) {
        DatabaseService db = TestDatabases.withDrivers(new DatabaseService(settings(poolSize), timeoutMillis));
        opened.add(db);
        return db;
    }

    List<Migration> migrations() {
        return List.of(
                new Migration(1, "create table", "CREATE TABLE " + table + " (id INTEGER NOT NULL PRIMARY KEY, "
                        + "name VARCHAR(100) NOT NULL);\nCREATE TABLE " + table + "_log (n INTEGER NOT NULL);"),
                new Migration(2, "seed", "-- a comment line\nINSERT INTO " + table + " (id, name) VALUES (1, 'one');\n"
                        + "INSERT INTO " + table + "_log (n) VALUES (2);"),
                new Migration(3, "add column", "ALTER TABLE " + table + " ADD COLUMN note VARCHAR(50);\n"
                        + "INSERT INTO " + table + "_log (n) VALUES (3);"));
    }

    int count(DatabaseService db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void appliesMigrationsInOrderOnceAndRecordsThem() throws Exception {
        DatabaseService db = open(4, 5_000);
        List<Migration> reversed = new ArrayList<>(migrations());
        java.util.Collections.reverse(reversed);
        db.migrate(owner, reversed);
        db.migrate(owner, migrations());
        assertEquals(List.of(1, 2, 3), db.appliedVersions(owner));
        assertEquals(1, count(db, "SELECT COUNT(*) FROM " + table));
        assertEquals(2, count(db, "SELECT COUNT(*) FROM " + table + "_log"));
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT description, applied_at FROM schema_migrations WHERE owner = '"
                        + owner + "' AND version = 3")) {
            assertTrue(rs.next());
            assertEquals("add column", rs.getString(1));
            assertTrue(rs.getTimestamp(2) != null);
        }
        // a later version added by a newer bundle is applied on the next start
        List<Migration> more = new ArrayList<>(migrations());
        more.add(new Migration(4, "more", "INSERT INTO " + table + "_log (n) VALUES (4);"));
        db.migrate(owner, more);
        assertEquals(List.of(1, 2, 3, 4), db.appliedVersions(owner));
        assertEquals(3, count(db, "SELECT COUNT(*) FROM " + table + "_log"));
    }

    @Test
    void failedMigrationIsRolledBackAndNotRecorded() throws Exception {
        DatabaseService db = open(4, 5_000);
        db.migrate(owner, migrations().subList(0, 1));
        Migration broken = new Migration(2, "half broken", "INSERT INTO " + table + " (id, name) VALUES (7, 'x');\n"
                + "INSERT INTO no_such_table_anywhere (n) VALUES (1);");
        SQLException e = assertThrows(SQLException.class, () -> db.migrate(owner, List.of(migrations().get(0), broken)));
        assertTrue(e.getMessage().contains("Migration 2 of " + owner), e.getMessage());
        assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
        assertEquals(List.of(1), db.appliedVersions(owner));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM " + table), "the first statement was rolled back too");
        // fixed, it applies
        db.migrate(owner, migrations());
        assertEquals(List.of(1, 2, 3), db.appliedVersions(owner));
    }

    @Test
    void concurrentRegionsApplyEachMigrationExactlyOnce() throws Exception {
        int regions = 4;
        List<DatabaseService> dbs = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            dbs.add(open(2, 30_000));
        }
        CyclicBarrier start = new CyclicBarrier(regions);
        ExecutorService pool = Executors.newFixedThreadPool(regions);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (DatabaseService db : dbs) {
                Callable<Void> task = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    db.migrate(owner, migrations());
                    return null;
                };
                results.add(pool.submit(task));
            }
            for (Future<Void> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        DatabaseService db = dbs.get(0);
        assertEquals(List.of(1, 2, 3), db.appliedVersions(owner));
        assertEquals(2, count(db, "SELECT COUNT(*) FROM " + table + "_log"), "each data migration ran once");
        assertEquals(1, count(db, "SELECT COUNT(*) FROM schema_locks WHERE owner = '" + owner + "'"));
    }

    @Test
    void returnedConnectionIsCleanForTheNextBorrower() throws Exception {
        DatabaseService db = open(1, 5_000);
        db.migrate(owner, migrations().subList(0, 1));
        Connection c = db.connection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + table + " (id, name) VALUES (9, 'uncommitted')");
        }
        c.close();
        assertTrue(c.isClosed());
        assertThrows(SQLException.class, c::createStatement);
        try (Connection again = db.connection()) {
            assertTrue(again.getAutoCommit());
        }
        assertEquals(0, count(db, "SELECT COUNT(*) FROM " + table), "an unfinished transaction is rolled back");
        assertEquals(1, db.pool().idleCount(), "the physical connection was reused");
    }

    @Test
    void poolIsBoundedAndSaysSoWhenExhausted() throws Exception {
        // the timeout covers opening a connection too (HikariCP opens them on its own thread): long enough for that
        // on a loaded machine
        DatabaseService db = open(2, 3_000);
        try (Connection a = db.connection(); Connection b = db.connection()) {
            SQLTransientConnectionException e = assertThrows(SQLTransientConnectionException.class, db::connection);
            assertTrue(e.getMessage().contains("No database connection became free within 3000 ms"));
            assertFalse(a.isClosed() || b.isClosed());
        }
        try (Connection c = db.connection()) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void duplicateVersionsAreRefused() {
        DatabaseService db = open(1, 5_000);
        List<Migration> twice = List.of(new Migration(1, "a", "SELECT 1;"), new Migration(1, "b", "SELECT 2;"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.migrate(owner, twice));
        assertTrue(e.getMessage().contains("given twice"));
    }
}
