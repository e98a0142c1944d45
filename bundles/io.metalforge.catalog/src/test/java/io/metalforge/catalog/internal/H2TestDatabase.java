package io.metalforge.catalog.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;

/**
 * A real embedded H2 database in a test folder. It stands in for the platform's Database service (another bundle),
 * with the same contract: auto-commit connections, migrations recorded per owner, statements split at ";" line ends.
 */
public final class H2TestDatabase implements Database {

    private final String url;

    H2TestDatabase(Path folder) {
        // Open until the JVM ends, and not closed by H2's own exit hook then: the test folder is gone by that time,
        // and closing wrote a trace file about it into a folder of that name made anew (one left per test run).
        this.url = "jdbc:h2:file:" + folder.resolve("catalog").toAbsolutePath()
                + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public String kind() {
        return "h2";
    }

    @Override
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    @Override
    public synchronized void migrate(String owner, List<Migration> migrations) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test_migrations (owner VARCHAR(64), version INT)");
            for (Migration m : migrations) {
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT 1 FROM test_migrations WHERE owner = ? AND version = ?")) {
                    q.setString(1, owner);
                    q.setInt(2, m.version());
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                for (String statement : m.sql().split(";\\s*\\n")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO test_migrations VALUES (?, ?)")) {
                    insert.setString(1, owner);
                    insert.setInt(2, m.version());
                    insert.executeUpdate();
                }
            }
        }
    }
}
