package io.metalforge.db.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import io.metalforge.api.db.Migration;

/**
 * Applies versioned migrations, recorded in {@code schema_migrations (owner, version, description, applied_at)}.
 * <p>
 * Concurrency: each migration runs in its own transaction that first locks the owner's row of
 * {@code schema_locks} with SELECT ... FOR UPDATE, then checks whether the version is recorded. Two regions starting
 * at once on PostgreSQL therefore apply each migration exactly once (PostgreSQL DDL is transactional, so the lock
 * holds until the record is committed). H2 commits DDL implicitly, which would release the row lock early; H2 is
 * only ever opened by one process (others go through its auto-server), so a per-database JVM lock serialises there.
 */
final class Migrator {

    static final String UNIQUE_VIOLATION = "23505";
    static final String DUPLICATE_TABLE = "42P07";

    private static final ConcurrentMap<String, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final PooledConnections pool;
    private final String databaseKey;
    private volatile boolean bookkeepingReady;

    Migrator(PooledConnections pool, String databaseKey) {
        this.pool = pool;
        this.databaseKey = databaseKey;
    }

    void migrate(String owner, List<Migration> migrations) throws SQLException {
        if (owner == null || owner.isBlank() || owner.length() > 200) {
            throw new IllegalArgumentException("migration owner must be 1 to 200 characters");
        }
        List<Migration> ordered = new ArrayList<>(migrations);
        ordered.sort(Comparator.comparingInt(Migration::version));
        Set<Integer> seen = new HashSet<>();
        for (Migration m : ordered) {
            if (!seen.add(m.version())) {
                throw new IllegalArgumentException("migration version " + m.version() + " of " + owner + " given twice");
            }
        }
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(databaseKey + "\u0000" + owner, k -> new ReentrantLock());
        local.lock();
        try {
            ensureBookkeeping();
            ensureLockRow(owner);
            for (Migration m : ordered) {
                apply(owner, m);
            }
        } finally {
            local.unlock();
        }
    }

    /** Versions applied for {@code owner}, ascending. */
    List<Integer> applied(String owner) throws SQLException {
        ensureBookkeeping();
        List<Integer> out = new ArrayList<>();
        try (Connection c = pool.borrow();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT version FROM schema_migrations WHERE owner = ? ORDER BY version")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    private void ensureBookkeeping() throws SQLException {
        if (bookkeepingReady) {
            return;
        }
        String[] ddl = {
                "CREATE TABLE IF NOT EXISTS schema_locks (owner VARCHAR(200) NOT NULL PRIMARY KEY)",
                "CREATE TABLE IF NOT EXISTS schema_migrations (owner VARCHAR(200) NOT NULL, version INTEGER NOT NULL,"
                        + " description VARCHAR(1000) NOT NULL, applied_at TIMESTAMP NOT NULL,"
                        + " PRIMARY KEY (owner, version))" };
        for (String statement : ddl) {
            // Two regions creating the same table at once: PostgreSQL may report a duplicate in its catalog for the
            // loser even with IF NOT EXISTS (23505 or 42P07); the table exists then, which is all we need.
            for (int attempt = 1;; attempt++) {
                try (Connection c = pool.borrow(); Statement s = c.createStatement()) {
                    s.execute(statement);
                    break;
                } catch (SQLException e) {
                    boolean race = UNIQUE_VIOLATION.equals(e.getSQLState()) || DUPLICATE_TABLE.equals(e.getSQLState());
                    if (attempt >= 3 || !race) {
                        throw e;
                    }
                }
            }
        }
        bookkeepingReady = true;
    }

    private void ensureLockRow(String owner) throws SQLException {
        try (Connection c = pool.borrow();
                PreparedStatement ps = c.prepareStatement("INSERT INTO schema_locks (owner) SELECT ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM schema_locks WHERE owner = ?)")) {
            ps.setString(1, owner);
            ps.setString(2, owner);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e; // a concurrent region inserted it first otherwise
            }
        }
    }

    private void apply(String owner, Migration m) throws SQLException {
        try (Connection c = pool.borrow()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c
                        .prepareStatement("SELECT owner FROM schema_locks WHERE owner = ? FOR UPDATE")) {
                    lock.setString(1, owner);
                    lock.executeQuery().close();
                }
                try (PreparedStatement done = c
                        .prepareStatement("SELECT 1 FROM schema_migrations WHERE owner = ? AND version = ?")) {
                    done.setString(1, owner);
                    done.setInt(2, m.version());
                    try (ResultSet rs = done.executeQuery()) {
                        if (rs.next()) {
                            c.commit();
                            return;
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    for (String statement : SqlScript.statements(m.sql())) {
                        s.execute(statement);
                    }
                }
                try (PreparedStatement record = c.prepareStatement("INSERT INTO schema_migrations "
                        + "(owner, version, description, applied_at) VALUES (?, ?, ?, ?)")) {
                    record.setString(1, owner);
                    record.setInt(2, m.version());
                    record.setString(3, truncate(m.description(), 1000));
                    record.setTimestamp(4, Timestamp.from(Instant.now()));
                    record.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new SQLException("Migration " + m.version() + " of " + owner + " (" + m.description()
                        + ") failed and was rolled back: " + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
