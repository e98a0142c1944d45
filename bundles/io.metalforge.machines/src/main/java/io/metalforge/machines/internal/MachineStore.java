package io.metalforge.machines.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.metalforge.api.db.Database;
import io.metalforge.api.machine.MachineEvent;
import io.metalforge.api.machine.NodeStatus;

/**
 * Machines, their MACs, events and installer files in the platform database. State changes are compare-and-set on
 * the status column, so concurrent requests (in one region or several sharing the database) never both win.
 */
final class MachineStore {

    /** MAAS's system ids: 6 characters from an alphabet without look-alikes. */
    private static final String ID_ALPHABET = "abcdefghjkmnpqrstuvwxy3456789";
    private static final int ID_LENGTH = 6;
    private static final String COLUMNS = "system_id, hostname, domain, architecture, status, status_message, osystem, "
            + "distro_series, hwe_kernel, owner, netboot, kernel_opts, hardware, user_data, ephemeral_os, "
            + "ephemeral_release, image_filetype, server_url, token_consumer, token_key, token_secret, deploy_started, "
            + "created, updated";
    static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARNING", "ERROR", "AUDIT");

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    MachineStore(Database db) throws SQLException {
        this.db = db;
        db.migrate(MachinesMigrations.OWNER, MachinesMigrations.ALL);
    }

    /** A fresh system id, reserved for good: ids are never reused, even after the machine is deleted. */
    String reserveSystemId() throws SQLException {
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder id = new StringBuilder(ID_LENGTH);
            for (int i = 0; i < ID_LENGTH; i++) {
                id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO machine_system_id (system_id, created) VALUES (?, ?)")) {
                ps.setString(1, id.toString());
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.executeUpdate();
                return id.toString();
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
        throw new SQLException("no free system id after 100 attempts");
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || "23000".equals(e.getSQLState());
    }

    /** Inserts a machine with its MACs in one transaction. */
    void insert(MachineRow m) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO machine (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 1;
                ps.setString(i++, m.systemId());
                ps.setString(i++, m.hostname());
                ps.setString(i++, m.domain());
                ps.setString(i++, m.architecture());
                ps.setInt(i++, m.status().code());
                ps.setString(i++, m.statusMessage());
                ps.setString(i++, m.osystem());
                ps.setString(i++, m.distroSeries());
                ps.setString(i++, m.hweKernel());
                ps.setString(i++, m.owner());
                ps.setBoolean(i++, m.netboot());
                ps.setString(i++, m.kernelOpts());
                ps.setString(i++, m.hardware());
                ps.setString(i++, m.userData());
                ps.setString(i++, m.ephemeralOs());
                ps.setString(i++, m.ephemeralRelease());
                ps.setString(i++, m.imageFiletype());
                ps.setString(i++, m.serverUrl());
                ps.setString(i++, m.tokenConsumer());
                ps.setString(i++, m.tokenKey());
                ps.setString(i++, m.tokenSecret());
                ps.setTimestamp(i++, m.deployStarted() == null ? null : Timestamp.from(m.deployStarted()));
                ps.setTimestamp(i++, Timestamp.from(m.created()));
                ps.setTimestamp(i, Timestamp.from(m.updated()));
                ps.executeUpdate();
            }
            insertMacs(c, m.systemId(), m.macs());
        });
    }

    private static void insertMacs(Connection c, String systemId, List<String> macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO machine_interface (mac, system_id, position) VALUES (?, ?, ?)")) {
            for (int i = 0; i < macs.size(); i++) {
                ps.setString(1, macs.get(i));
                ps.setString(2, systemId);
                ps.setInt(3, i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Replaces a machine's MACs. */
    void replaceMacs(String systemId, List<String> macs) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM machine_interface WHERE system_id = ?")) {
                ps.setString(1, systemId);
                ps.executeUpdate();
            }
            insertMacs(c, systemId, macs);
        });
    }

    /** Work on one connection that commits as a whole or not at all. */
    @FunctionalInterface
    private interface Transaction {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Transaction work) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    Optional<MachineRow> get(String systemId) throws SQLException {
        List<MachineRow> rows = select(" WHERE system_id = ?", List.of(systemId));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    Optional<MachineRow> byMac(String mac) throws SQLException {
        List<MachineRow> rows = select(" WHERE system_id = (SELECT system_id FROM machine_interface WHERE mac = ?)",
                List.of(mac));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    Optional<MachineRow> byToken(String tokenKey) throws SQLException {
        if (tokenKey == null || tokenKey.isEmpty()) {
            return Optional.empty();
        }
        List<MachineRow> rows = select(" WHERE token_key = ?", List.of(tokenKey));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    List<MachineRow> list() throws SQLException {
        return select(" ORDER BY hostname", List.of());
    }

    private List<MachineRow> select(String where, List<Object> params) throws SQLException {
        List<MachineRow> rows = new ArrayList<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM machine" + where, params);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            if (rows.isEmpty()) {
                return rows;
            }
            Map<String, List<String>> macs = new LinkedHashMap<>();
            String sql = rows.size() == 1 ? "SELECT system_id, mac FROM machine_interface WHERE system_id = ? "
                    + "ORDER BY position" : "SELECT system_id, mac FROM machine_interface ORDER BY system_id, position";
            try (PreparedStatement ps = prepare(c, sql,
                    rows.size() == 1 ? List.of(rows.get(0).systemId()) : List.of()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    macs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return rows.stream().map(r -> r.withMacs(macs.getOrDefault(r.systemId(), List.of()))).toList();
        }
    }

    private static MachineRow row(ResultSet rs) throws SQLException {
        int i = 1;
        String systemId = rs.getString(i++);
        String hostname = rs.getString(i++);
        String domain = rs.getString(i++);
        String architecture = rs.getString(i++);
        NodeStatus status = NodeStatus.ofCode(rs.getInt(i++)).orElse(NodeStatus.NEW);
        String statusMessage = rs.getString(i++);
        String osystem = rs.getString(i++);
        String distroSeries = rs.getString(i++);
        String hweKernel = rs.getString(i++);
        String owner = rs.getString(i++);
        boolean netboot = rs.getBoolean(i++);
        String kernelOpts = rs.getString(i++);
        String hardware = rs.getString(i++);
        String userData = rs.getString(i++);
        String ephemeralOs = rs.getString(i++);
        String ephemeralRelease = rs.getString(i++);
        String imageFiletype = rs.getString(i++);
        String serverUrl = rs.getString(i++);
        String tokenConsumer = rs.getString(i++);
        String tokenKey = rs.getString(i++);
        String tokenSecret = rs.getString(i++);
        Timestamp deployStarted = rs.getTimestamp(i++);
        Instant created = rs.getTimestamp(i++).toInstant();
        Instant updated = rs.getTimestamp(i).toInstant();
        return new MachineRow(systemId, hostname, domain, architecture, status, statusMessage, osystem, distroSeries,
                hweKernel, owner, netboot, kernelOpts, hardware, userData, ephemeralOs, ephemeralRelease,
                imageFiletype, serverUrl, tokenConsumer, tokenKey, tokenSecret,
                deployStarted == null ? null : deployStarted.toInstant(), created, updated, List.of());
    }

    /**
     * Moves a machine to {@code to} and sets {@code columns} (names from this bundle's code, never from clients) if,
     * and only if, it is in one of {@code from} now. Whether this call made the change.
     */
    boolean transition(String systemId, Collection<NodeStatus> from, NodeStatus to, Map<String, Object> columns)
            throws SQLException {
        Map<String, Object> set = new LinkedHashMap<>(columns);
        set.put("status", to.code());
        String in = from.stream().map(s -> String.valueOf(s.code())).collect(Collectors.joining(", "));
        return update(systemId, set, " AND status IN (" + in + ")") > 0;
    }

    /** Sets columns (names from this bundle's code) of a machine; whether it exists. */
    boolean set(String systemId, Map<String, Object> columns) throws SQLException {
        return update(systemId, columns, "") > 0;
    }

    private int update(String systemId, Map<String, Object> columns, String condition) throws SQLException {
        Map<String, Object> set = new LinkedHashMap<>(columns);
        set.put("updated", Timestamp.from(Instant.now()));
        StringBuilder sql = new StringBuilder("UPDATE machine SET ");
        List<Object> params = new ArrayList<>();
        for (Map.Entry<String, Object> e : set.entrySet()) {
            if (!e.getKey().matches("[a-z_]+")) {
                throw new IllegalArgumentException("column " + e.getKey());
            }
            sql.append(params.isEmpty() ? "" : ", ").append(e.getKey()).append(" = ?");
            params.add(e.getValue() instanceof Instant t ? Timestamp.from(t) : e.getValue());
        }
        sql.append(" WHERE system_id = ?").append(condition);
        params.add(systemId);
        try (Connection c = db.connection(); PreparedStatement ps = prepare(c, sql.toString(), params)) {
            return ps.executeUpdate();
        }
    }

    boolean delete(String systemId) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = prepare(c, "DELETE FROM machine WHERE system_id = ?", List.of(systemId))) {
            return ps.executeUpdate() > 0;
        }
    }

    // ---- events

    void addEvent(String systemId, String hostname, String type, String level, String description, String username)
            throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = prepare(c, "INSERT INTO machine_event "
                + "(system_id, hostname, type, level, description, username, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                List.of(systemId, hostname, cut(type, 64), level, cut(description, 10000),
                        username == null ? "" : username, Timestamp.from(Instant.now())))) {
            ps.executeUpdate();
        }
    }

    List<MachineEvent> events(String systemId, String minLevel, long after, long before, int limit)
            throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE id > ?");
        List<Object> params = new ArrayList<>(List.of(after));
        if (before > 0) {
            where.append(" AND id < ?");
            params.add(before);
        }
        if (systemId != null) {
            where.append(" AND system_id = ?");
            params.add(systemId);
        }
        if (minLevel != null) {
            List<String> levels = LEVELS.subList(LEVELS.indexOf(minLevel), LEVELS.size());
            where.append(" AND level IN (").append(levels.stream().map(l -> "?").collect(Collectors.joining(", ")))
                    .append(")");
            params.addAll(levels);
        }
        String sql = "SELECT id, system_id, hostname, type, level, description, username, created FROM machine_event"
                + where + " ORDER BY id DESC";
        List<MachineEvent> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = prepare(c, sql, params)) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MachineEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return out;
    }

    /** How many events of each of these types exist. */
    Map<String, Long> eventCounts(List<String> types) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        types.forEach(t -> out.put(t, 0L));
        String sql = "SELECT type, COUNT(*) FROM machine_event WHERE type IN ("
                + types.stream().map(t -> "?").collect(Collectors.joining(", ")) + ") GROUP BY type";
        try (Connection c = db.connection(); PreparedStatement ps = prepare(c, sql, new ArrayList<>(types));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    Map<NodeStatus, Long> statusCounts() throws SQLException {
        Map<NodeStatus, Long> out = new EnumMap<>(NodeStatus.class);
        for (NodeStatus s : NodeStatus.values()) {
            out.put(s, 0L);
        }
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM machine GROUP BY status");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                NodeStatus.ofCode(rs.getInt(1)).ifPresent(s -> {
                    try {
                        out.put(s, rs.getLong(2));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return out;
    }

    long countOs(String osystem) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM machine WHERE osystem = ?", List.of(osystem));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- installer files

    /** Keeps a posted file, then drops the machine's oldest beyond {@code keep}. */
    void addFile(String systemId, String path, String contentBase64, int keep) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = prepare(c, "INSERT INTO machine_file (system_id, path, content_base64, "
                    + "created) VALUES (?, ?, ?, ?)", List.of(systemId, cut(path, 1000), contentBase64,
                            Timestamp.from(Instant.now())))) {
                ps.executeUpdate();
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT id FROM machine_file WHERE system_id = ? ORDER BY id DESC",
                    List.of(systemId)); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (Long old : ids.subList(Math.min(keep, ids.size()), ids.size())) {
                try (PreparedStatement ps = prepare(c, "DELETE FROM machine_file WHERE id = ?", List.of(old))) {
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Paths of the files kept for a machine, newest first. */
    List<String> files(String systemId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = prepare(c,
                "SELECT path FROM machine_file WHERE system_id = ? ORDER BY id DESC", List.of(systemId));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setObject(i + 1, v);
            }
        }
        return ps;
    }

    private static String cut(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }
}
