package io.metalforge.api.db;

import java.util.Objects;

/**
 * One versioned schema change of one owner (a bundle's tables). SQL must run unchanged on the embedded database
 * and on PostgreSQL; statements are separated by ";" at line ends.
 *
 * @param version     1, 2, 3, ... in order, never reused
 * @param description what it changes
 * @param sql         the statements
 */
public record Migration(int version, String description, String sql) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sql, "sql");
    }
}
