package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.db.Migration;

/**
 * The embedded database on a real 12 MiB tmpfs (mounted by the test; it fails, not skips, without root): another
 * writer fills the disk, writes fail with "No space left on device", the database's reserve is released so it stays
 * readable, and once space is freed it takes writes again in the same process, with every acknowledged commit kept.
 */
class DatabaseDiskFullTest {

    @TempDir
    Path folder;

    private final List<String> log = new ArrayList<>();

    private DatabaseService open(Path data) {
        return TestDatabases.withDrivers(new DatabaseService(DatabaseService.embedded(data.resolve("db"), 4), 10_000,
                TestDatabases.RESERVE_BYTES, m -> log.add("WARN " + m), m -> log.add("INFO " + m)));
    }

    private static void insert(DatabaseService db, int n) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO full_t (n, v) VALUES (?, REPEAT('v', 2000))")) {
            ps.setInt(1, n);
            ps.executeUpdate();
        }
    }

    private static Set<Integer> rows(DatabaseService db) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT n FROM full_t")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    @Test
    void aFullDiskHealsWithoutRestartAndKeepsEveryAcknowledgedCommit() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(folder.resolve("small"), 12)) {
            DatabaseService db = open(disk.root());
            try {
                Path reserve = disk.root().resolve("db").resolve(DiskReserve.FILE_NAME);
                assertEquals(TestDatabases.RESERVE_BYTES, Files.size(reserve));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(reserve)));
                db.migrate("full", List.of(new Migration(1, "t",
                        "CREATE TABLE full_t (n INTEGER PRIMARY KEY, v VARCHAR(4000))")));
                Set<Integer> acknowledged = new HashSet<>();
                int next = 0;
                for (; next < 50; next++) {
                    insert(db, next);
                    acknowledged.add(next);
                }

                disk.fill();
                SQLException refused = null;
                long deadline = System.nanoTime() + 30_000_000_000L;
                for (int i = 0; i < 20_000 && refused == null && System.nanoTime() < deadline; i++, next++) {
                    try {
                        insert(db, next);
                        acknowledged.add(next);
                    } catch (SQLException e) {
                        refused = e;
                    }
                }
                assertNotNull(refused, "a write failed on the full disk");
                assertTrue(DatabaseFaults.diskFull(refused), "the failure names the full disk: " + refused);
                assertFalse(db.reservePresent(), "the reserve was released: " + log);
                assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN The disk holding the database is full")),
                        log.toString());
                // H2 closed the database after the failed write; with the reserve's space it reopens at once, and
                // reads go on while the disk is full
                assertEquals(acknowledged, rows(db));
                // writes go on until the reserve's space is used up too; each refusal names the full disk
                for (int i = 0; i < 20; i++, next++) {
                    try {
                        insert(db, next);
                        acknowledged.add(next);
                    } catch (SQLException e) {
                        assertTrue(DatabaseFaults.diskFull(e), "a full disk, not another fault: " + e);
                    }
                }

                disk.free();
                boolean healed = false;
                for (int i = 0; i < 100 && !healed; i++, next++) {
                    try {
                        insert(db, next);
                        acknowledged.add(next);
                        healed = true;
                    } catch (SQLException e) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(healed, "writes are accepted again once space is freed, without a restart");
                // the connections the failure broke were reported in one line each at most, without stack traces,
                // and not once per connection and borrower
                List<String> dropped = log.stream()
                        .filter(l -> l.startsWith("WARN Database connection dropped after a failure")).toList();
                assertFalse(dropped.isEmpty(), log.toString());
                assertTrue(dropped.size() <= 1 + 30_000 / BrokenConnectionLog.INTERVAL_MILLIS, dropped.toString());
                assertTrue(log.stream().noneMatch(l -> l.contains("\n") || l.contains("\tat ")), log.toString());
                Thread.sleep(1100); // the reserve is rewritten at most once a second
                db.connection().close();
                assertTrue(db.reservePresent(), "the reserve is back: " + log);
                assertEquals(acknowledged, rows(db));
                // what H2 re-created when it reopened (its lock file) is as private as the rest
                Path dbFolder = disk.root().resolve("db");
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFolder)));
                try (var files = Files.list(dbFolder)) {
                    for (Path f : files.toList()) {
                        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                                f.toString());
                    }
                }
            } finally {
                db.close();
            }
            DatabaseService again = open(disk.root());
            try {
                assertTrue(rows(again).size() >= 51, "still there after a restart");
            } finally {
                again.close();
            }
        }
    }

    /** Closes the embedded database under the pool, as H2 does after a failed write. */
    private static void shutDown(DatabaseService db) throws SQLException {
        Connection c = db.connection();
        c.createStatement().execute("SHUTDOWN");
        try {
            c.close();
        } catch (SQLException e) {
            // the pool's reset of the connection finds the database closed: it is evicted
        }
    }

    @Test
    void aVanishedOrEmptiedDatabaseIsRefusedNeverReplacedByAnEmptyOne() throws Exception {
        DatabaseService db = open(folder);
        try {
            db.migrate("kept", List.of(new Migration(1, "t", "CREATE TABLE kept_t (n INTEGER)")));
            Path file = folder.resolve("db").resolve(DatabaseService.H2_FILE);
            Path saved = folder.resolve("saved.mv.db");
            shutDown(db);
            Files.copy(file, saved);

            Files.delete(file);
            SQLException gone = assertThrows(SQLException.class, db::connection);
            assertEquals("The embedded database " + file + " has disappeared; refusing to create an empty database "
                    + "in its place. Stop the service and restore the file from a backup.", gone.getMessage());
            assertFalse(Files.exists(file), "no new database was created");

            // an H2 database with the same user and password, but without our tables, put in its place
            Path other = folder.resolve("other");
            java.util.Properties credentials = new java.util.Properties();
            credentials.setProperty("user", "metalforge");
            credentials.setProperty("password", password());
            new org.h2.Driver().connect("jdbc:h2:file:" + other.resolve("metalforge"), credentials).close();
            Files.copy(other.resolve(DatabaseService.H2_FILE), file);
            SQLException emptied = assertThrows(SQLException.class, db::connection);
            assertTrue(emptied.getMessage().startsWith("The embedded database " + file + " reopened without its "
                    + "tables after a failure; refusing to use it."), emptied.getMessage());

            // restored from the backup as the message says (service stopped), everything is there again
            db.close();
            Files.copy(saved, file, StandardCopyOption.REPLACE_EXISTING);
            DatabaseService restored = open(folder);
            try (Connection c = restored.connection(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT COUNT(*) FROM kept_t").close();
            } finally {
                restored.close();
            }
        } finally {
            db.close();
        }
    }

    private String password() throws java.io.IOException {
        return Files.readString(folder.resolve("db/h2.password")).strip();
    }
}
