package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;

/** The repository's SQL on a real embedded H2 database, through a minimal Database (the platform's is elsewhere). */
class JdbcBootSourceRepositoryTest {

    /** Runs migrations in order, one transaction each, and remembers them, as the platform's Database does. */
    static final class H2Database implements Database {
        final JdbcDataSource ds = new JdbcDataSource();
        final Set<String> applied = new HashSet<>();

        H2Database(String name) {
            ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        }

        /** A database in files, which other processes open after this one (the crash test); migrations are kept. */
        static H2Database inFiles(java.nio.file.Path base) throws SQLException {
            H2Database db = new H2Database("unused");
            // FILE_LOCK=NO: a process killed with SIGKILL leaves a lock behind, and the processes never overlap.
            // DB_CLOSE_ON_EXIT=FALSE: H2's exit hook would close it after the test folder is gone, and write a trace
            // file about that into a folder of the same name made anew (one left in the temporary folder per run).
            db.ds.setURL("jdbc:h2:file:" + base.toAbsolutePath()
                    + ";FILE_LOCK=NO;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS test_applied (name VARCHAR(200) PRIMARY KEY)");
                try (var rs = st.executeQuery("SELECT name FROM test_applied")) {
                    while (rs.next()) {
                        db.applied.add(rs.getString(1));
                    }
                }
            }
            db.persistent = true;
            return db;
        }

        private boolean persistent;

        @Override
        public String kind() {
            return "h2";
        }

        @Override
        public Connection connection() throws SQLException {
            return ds.getConnection();
        }

        @Override
        public synchronized void migrate(String owner, List<Migration> migrations) throws SQLException {
            for (Migration m : migrations) {
                if (applied.add(owner + ":" + m.version())) {
                    try (Connection c = connection(); Statement st = c.createStatement()) {
                        c.setAutoCommit(false);
                        for (String sql : m.sql().split(";\\s*\\n")) {
                            if (!sql.isBlank()) {
                                st.execute(sql);
                            }
                        }
                        if (persistent) {
                            st.execute("INSERT INTO test_applied (name) VALUES ('" + owner + ":" + m.version()
                                    + "')");
                        }
                        c.commit();
                    }
                }
            }
        }
    }

    @Test
    void sourcesAndSelectionsRoundTripAndCascade() throws Exception {
        H2Database db = new H2Database("repo");
        JdbcBootSourceRepository repo = new JdbcBootSourceRepository(db);
        byte[] key = {1, 2, 3, (byte) 0xff};
        BootSource s = repo.save(new BootSource(0, "MAAS Stable", "http://images.maas.io/ephemeral-v3/stable", 1,
                true, "", key, false, "2026-01-01T00:00:00.000", "2026-01-01T00:00:00.000"));
        assertEquals(1, s.id());
        BootSource t = repo.save(new BootSource(0, "mine", "file:/srv/mirror", 10, false, "/k.gpg", null, true, "a",
                "b"));
        assertEquals(2, t.id());
        BootSource read = repo.source(1).orElseThrow();
        assertArrayEquals(key, read.keyringData());
        assertEquals("MAAS Stable", read.name());
        assertFalse(repo.source(2).orElseThrow().enabled());
        assertEquals(0, repo.source(2).orElseThrow().keyringData().length);

        Selection sel = repo.save(new Selection(0, 1, "ubuntu", "noble", List.of("amd64", "arm64"), null, null));
        assertEquals(List.of("amd64", "arm64"), repo.selections(1).get(0).arches());
        assertEquals(List.of("*"), repo.selections(1).get(0).labels());
        repo.save(new Selection(sel.id(), 1, "ubuntu", "noble", List.of("*"), null, List.of("stable")));
        assertEquals(List.of("stable"), repo.selections(1).get(0).labels());
        assertThrows(IOException.class, () -> repo.save(new Selection(0, 1, "ubuntu", "noble", null, null, null)),
                "(source, os, release) is unique");
        assertThrows(IOException.class, () -> repo.save(new BootSource(0, "dup", "http://x", 1, true, "", null, true,
                "", "")), "priority is unique");

        assertTrue(repo.delete(1));
        assertTrue(repo.selections(1).isEmpty());
        assertEquals(List.of(2L), repo.sources().stream().map(BootSource::id).toList());
        // migrating again (a restart) keeps the data
        assertEquals(1, new JdbcBootSourceRepository(db).sources().size());
    }
}
