package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.db.Migration;

/** The persistence contract on the embedded H2 file database, as the appliance opens it. */
class DatabaseH2Test extends DatabaseContract {

    @TempDir
    Path folder;

    @Override
    JdbcSettings settings(int poolSize) {
        return DatabaseService.embedded(folder.resolve("db"), poolSize);
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
        db.migrate("restart", List.of(new Migration(1, "t", "CREATE TABLE restart_t (n INTEGER);\n"
                + "INSERT INTO restart_t (n) VALUES (42);")));
        db.close();

        JdbcSettings second = settings(2);
        assertEquals(first.password(), second.password(), "the stored password is reused");
        DatabaseService again = TestDatabases.withDrivers(new DatabaseService(second));
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
