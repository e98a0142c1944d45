package io.metalforge.power.service.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.db.Database;

/**
 * BMC settings per machine in the table power_bmc: non-secret settings in {@code parameters}, secret ones in
 * {@code secrets}, both as JSON objects of strings. Only the power service reads the secrets column, to hand the
 * values to drivers.
 */
final class BmcStore {

    /** One stored row. */
    record Row(String machineId, String driver, Map<String, String> parameters, Map<String, String> secrets) {
    }

    /**
     * Made on first use, not with this class: a start with no stored settings needs none, and Jackson's mapper is
     * costly to set up in a fresh JVM (its date format builds the JDK's calendar data), on the start's critical path.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database database;

    BmcStore(Database database) throws SQLException {
        this.database = database;
        database.migrate(PowerMigrations.OWNER, PowerMigrations.ALL);
    }

    /** Calls {@code sink} for every stored machine, in id order. */
    void forEach(Consumer<Row> sink) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT system_id, power_type, parameters, secrets FROM power_bmc ORDER BY system_id");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                sink.accept(new Row(id, rs.getString(2), parse(id, rs.getString(3)), parse(id, rs.getString(4))));
            }
        }
    }

    /** Inserts or replaces the settings of a machine. */
    void put(Row row) throws SQLException {
        String parameters = write(row.parameters());
        String secrets = write(row.secrets());
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = database.connection()) {
            // update first, insert when absent; a concurrent insert from another region makes us update again
            for (int attempt = 0;; attempt++) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE power_bmc SET power_type = ?, parameters = ?, secrets = ?, updated_at = ? "
                                + "WHERE system_id = ?")) {
                    update.setString(1, row.driver());
                    update.setString(2, parameters);
                    update.setString(3, secrets);
                    update.setTimestamp(4, now);
                    update.setString(5, row.machineId());
                    if (update.executeUpdate() > 0) {
                        return;
                    }
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO power_bmc (system_id, power_type, parameters, secrets, updated_at) "
                                + "VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, row.machineId());
                    insert.setString(2, row.driver());
                    insert.setString(3, parameters);
                    insert.setString(4, secrets);
                    insert.setTimestamp(5, now);
                    insert.executeUpdate();
                    return;
                } catch (SQLException e) {
                    if (attempt > 0 || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Whether a row was deleted. */
    boolean delete(String machineId) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement s = c.prepareStatement("DELETE FROM power_bmc WHERE system_id = ?")) {
            s.setString(1, machineId);
            return s.executeUpdate() > 0;
        }
    }

    private static String write(Map<String, String> values) throws SQLException {
        try {
            return Mapper.JSON.writeValueAsString(new TreeMap<>(values));
        } catch (IOException e) {
            throw new SQLException("cannot encode BMC settings", e);
        }
    }

    /** Never quotes the stored text: it may hold secrets. */
    private static Map<String, String> parse(String machineId, String text) throws SQLException {
        try {
            Map<String, String> values = Mapper.JSON.readValue(text, STRINGS);
            return values == null ? Map.of() : new LinkedHashMap<>(values);
        } catch (IOException e) {
            throw new SQLException("the stored BMC settings of machine '" + machineId + "' are not a JSON object "
                    + "of strings");
        }
    }
}
