package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.db.Migration;
import io.metalforge.api.platform.PlatformExecutor;

/** The persistence contract on the embedded H2 file database, as the appliance opens it. */
class DatabaseH2Test extends DatabaseContract {

    @TempDir
    Path folder;

    @Override
    JdbcSettings settings(int poolSize) {
        return DatabaseService.embedded(folder.resolve("db"), poolSize);
    }

    /**
     * The component opens the database on a platform thread as soon as it is active (the distribution starts it at
     * level 1, so creating the database overlaps with starting the other bundles), not when the first component asks.
     */
    @Test
    void theComponentOpensTheDatabaseWhenActivated() throws Exception {
        List<String> tasks = new ArrayList<>();
        PlatformExecutor inline = (PlatformExecutor) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { PlatformExecutor.class }, (proxy, method, args) -> {
                    if (method.getName().equals("submit") && args[1] instanceof Runnable task) {
                        tasks.add((String) args[0]);
                        task.run();
                        return CompletableFuture.completedFuture(null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        DatabaseService db = TestDatabases.h2(folder, inline);
        try {
            Path file = folder.resolve("db").resolve(DatabaseService.H2_FILE);
            assertFalse(Files.exists(file), "made, not yet active: nothing opened");
            db.openAtOnce();
            assertEquals(List.of("open"), tasks);
            assertTrue(Files.exists(file), "the activation's task created the embedded database");
            try (Connection c = db.connection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        } finally {
            db.close();
        }
    }

    @Test
    void embeddedDatabaseIsProtectedByAGeneratedPasswordAndSurvivesRestart() throws Exception {
        JdbcSettings first = settings(2);
        assertEquals("h2", first.kind());
        assertEquals(48, first.password().length());
        Path passwordFile = folder.resolve("db/h2.password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertFalse(first.toString().contains(first.password()), "settings never show the password");

        DatabaseService db = TestDatabases.withDrivers(new DatabaseService(first));
        assertTrue(db.createdByThisStart(), "no database file yet: this start creates it");
        db.migrate("restart", List.of(new Migration(1, "t", "CREATE TABLE restart_t (n INTEGER);\n"
                + "INSERT INTO restart_t (n) VALUES (42);")));
        db.close();

        JdbcSettings second = settings(2);
        assertEquals(first.password(), second.password(), "the stored password is reused");
        DatabaseService again = TestDatabases.withDrivers(new DatabaseService(second));
        assertFalse(again.createdByThisStart(), "the file of the first start is opened, not created");
        try (Connection c = again.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT n FROM restart_t")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        } finally {
            again.close();
        }
        JdbcSettings wrong = new JdbcSettings(first.url(), "metalforge", "not-the-password", 1);
        DatabaseService intruder = TestDatabases.withDrivers(new DatabaseService(wrong, 1_000));
        assertThrows(java.sql.SQLException.class, intruder::connection);
        intruder.close();
    }

    @Test
    void databaseFilesArePrivateAndOpenOnesAreReportedAndClosed() throws Exception {
        Path dbFolder = folder.resolve("db");
        DatabaseService db = TestDatabases.withDrivers(new DatabaseService(settings(2)));
        db.migrate("private", List.of(new Migration(1, "t", "CREATE TABLE private_t (n INTEGER)")));
        db.close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFolder)));
        try (var files = Files.list(dbFolder)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        // an installation made before (or a careless copy): 0755 folder, 0644 database
        Files.setPosixFilePermissions(dbFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mv = dbFolder.resolve("metalforge.mv.db");
        Files.setPosixFilePermissions(mv, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = new java.util.ArrayList<>();
        DatabaseService.embedded(dbFolder, 2, warnings::add);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(1).startsWith(mv + " was readable or writable by other users (rw-r--r--); it holds "
                + "secrets and is now rw-------."), warnings.get(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mv)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFolder)));
        warnings.clear();
        DatabaseService.embedded(dbFolder, 2, warnings::add);
        assertTrue(warnings.isEmpty(), "no warning once private: " + warnings);
    }

    @Test
    void unsupportedUrlIsRefusedWithoutShowingSecrets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JdbcSettings("jdbc:mysql://h/db?password=hunter2", "u", "p", 1).kind());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
