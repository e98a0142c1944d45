package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;

/**
 * Boot sources and selections in the platform database (owner "simplestreams"); plain SQL that runs unchanged on
 * the embedded database and on PostgreSQL. Keyring bytes are kept as base64 text for that reason.
 */
final class JdbcBootSourceRepository implements BootSourceRepository {

    static final String OWNER = "simplestreams";

    private static final Migration TABLES = new Migration(1, "boot sources and selections", """
            CREATE TABLE simplestreams_boot_source (
              id BIGINT PRIMARY KEY,
              name VARCHAR(256) NOT NULL UNIQUE,
              url VARCHAR(1024) NOT NULL UNIQUE,
              priority INTEGER NOT NULL UNIQUE,
              enabled BOOLEAN NOT NULL,
              keyring_filename VARCHAR(4096) NOT NULL,
              keyring_data VARCHAR(1500000) NOT NULL,
              skip_keyring_verification BOOLEAN NOT NULL,
              created VARCHAR(32) NOT NULL,
              updated VARCHAR(32) NOT NULL
            );
            CREATE TABLE simplestreams_selection (
              id BIGINT PRIMARY KEY,
              boot_source_id BIGINT NOT NULL REFERENCES simplestreams_boot_source(id) ON DELETE CASCADE,
              os_name VARCHAR(64) NOT NULL,
              os_release VARCHAR(64) NOT NULL,
              arches VARCHAR(4200) NOT NULL,
              subarches VARCHAR(4200) NOT NULL,
              labels VARCHAR(4200) NOT NULL,
              UNIQUE (boot_source_id, os_name, os_release)
            )
            """);

    /**
     * Ids clients see are never handed out twice (MAAS takes them from sequences): one sequence per table, started
     * past the highest id already there. Restarting a sequence from a query is the one statement the two databases
     * spell differently.
     */
    static List<Migration> migrations(String kind) {
        StringBuilder sql = new StringBuilder();
        for (String table : List.of("simplestreams_boot_source", "simplestreams_selection")) {
            String sequence = table + "_ids";
            String past = "(SELECT COALESCE(MAX(id), 0) + 1 FROM " + table + ")";
            sql.append("CREATE SEQUENCE ").append(sequence).append(" START WITH 1;\n");
            sql.append(kind.equals("postgresql")
                    ? "SELECT setval('" + sequence + "', " + past + ", false);\n"
                    : "ALTER SEQUENCE " + sequence + " RESTART WITH " + past + ";\n");
            sql.append("ALTER TABLE ").append(table).append(" ALTER COLUMN id SET DEFAULT nextval('").append(sequence)
                    .append("');\n");
        }
        return List.of(TABLES, new Migration(2, "sequences for boot source and selection ids", sql.toString()));
    }

    private final Database db;

    JdbcBootSourceRepository(Database db) throws IOException {
        this.db = db;
        try {
            db.migrate(OWNER, migrations(db.kind()));
        } catch (SQLException e) {
            throw new IOException("Cannot migrate the simplestreams tables: " + e.getMessage(), e);
        }
    }

    @Override
    public List<BootSource> sources() throws IOException {
        return querySources("SELECT * FROM simplestreams_boot_source ORDER BY id", -1);
    }

    @Override
    public Optional<BootSource> source(long id) throws IOException {
        return querySources("SELECT * FROM simplestreams_boot_source WHERE id = ?", id).stream().findFirst();
    }

    private List<BootSource> querySources(String sql, long id) throws IOException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id >= 0) {
                ps.setLong(1, id);
            }
            List<BootSource> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String data = rs.getString("keyring_data");
                    out.add(new BootSource(rs.getLong("id"), rs.getString("name"), rs.getString("url"),
                            rs.getInt("priority"), rs.getBoolean("enabled"), rs.getString("keyring_filename"),
                            data.isEmpty() ? null : Base64.getDecoder().decode(data),
                            rs.getBoolean("skip_keyring_verification"), rs.getString("created"),
                            rs.getString("updated")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("Cannot read boot sources: " + e.getMessage(), e);
        }
    }

    @Override
    public BootSource save(BootSource s) throws IOException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long id = s.id();
                if (id == 0) {
                    id = nextId(c, "simplestreams_boot_source");
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO simplestreams_boot_source (name, url, "
                            + "priority, enabled, keyring_filename, keyring_data, skip_keyring_verification, created, "
                            + "updated, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        bind(ps, s, id);
                        ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE simplestreams_boot_source SET name = ?, "
                            + "url = ?, priority = ?, enabled = ?, keyring_filename = ?, keyring_data = ?, "
                            + "skip_keyring_verification = ?, created = ?, updated = ? WHERE id = ?")) {
                        bind(ps, s, id);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return new BootSource(id, s.name(), s.url(), s.priority(), s.enabled(), s.keyringFilename(),
                        s.keyringData(), s.skipKeyringVerification(), s.created(), s.updated());
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("Cannot save boot source: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, BootSource s, long id) throws SQLException {
        ps.setString(1, s.name());
        ps.setString(2, s.url());
        ps.setInt(3, s.priority());
        ps.setBoolean(4, s.enabled());
        ps.setString(5, s.keyringFilename());
        ps.setString(6, Base64.getEncoder().encodeToString(s.keyringData()));
        ps.setBoolean(7, s.skipKeyringVerification());
        ps.setString(8, s.created());
        ps.setString(9, s.updated());
        ps.setLong(10, id);
    }

    @Override
    public boolean delete(long id) throws IOException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement sel = c.prepareStatement("DELETE FROM simplestreams_selection WHERE boot_source_id = ?");
                    PreparedStatement src = c.prepareStatement("DELETE FROM simplestreams_boot_source WHERE id = ?")) {
                sel.setLong(1, id);
                sel.executeUpdate();
                src.setLong(1, id);
                boolean deleted = src.executeUpdate() > 0;
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("Cannot delete boot source: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Selection> selections(long sourceId) throws IOException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM simplestreams_selection WHERE boot_source_id = ? ORDER BY id")) {
            ps.setLong(1, sourceId);
            List<Selection> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Selection(rs.getLong("id"), rs.getLong("boot_source_id"), rs.getString("os_name"),
                            rs.getString("os_release"), split(rs.getString("arches")),
                            split(rs.getString("subarches")), split(rs.getString("labels"))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("Cannot read selections: " + e.getMessage(), e);
        }
    }

    @Override
    public Selection save(Selection s) throws IOException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long id = s.id();
                String sql = id == 0
                        ? "INSERT INTO simplestreams_selection (boot_source_id, os_name, os_release, arches, subarches, "
                                + "labels, id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        : "UPDATE simplestreams_selection SET boot_source_id = ?, os_name = ?, os_release = ?, "
                                + "arches = ?, subarches = ?, labels = ? WHERE id = ?";
                if (id == 0) {
                    id = nextId(c, "simplestreams_selection");
                }
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, s.bootSourceId());
                    ps.setString(2, s.os());
                    ps.setString(3, s.release());
                    ps.setString(4, String.join(",", s.arches()));
                    ps.setString(5, String.join(",", s.subarches()));
                    ps.setString(6, String.join(",", s.labels()));
                    ps.setLong(7, id);
                    ps.executeUpdate();
                }
                c.commit();
                return new Selection(id, s.bootSourceId(), s.os(), s.release(), s.arches(), s.subarches(), s.labels());
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("Cannot save selection: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean deleteSelection(long sourceId, long id) throws IOException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM simplestreams_selection WHERE id = ? AND boot_source_id = ?")) {
            ps.setLong(1, id);
            ps.setLong(2, sourceId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IOException("Cannot delete selection: " + e.getMessage(), e);
        }
    }

    private static long nextId(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('" + table + "_ids')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }
}
