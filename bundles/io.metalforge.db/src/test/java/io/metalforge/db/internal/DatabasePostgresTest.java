package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same persistence contract against a real PostgreSQL. Runs when {@code METALFORGE_TEST_PG_URL} is set, as a
 * system property or environment variable, e.g. {@code jdbc:postgresql://127.0.0.1:55432/postgres} (what
 * {@code .ci/start-postgres.sh} prints); user {@code METALFORGE_TEST_PG_USER} (default postgres), password
 * {@code METALFORGE_TEST_PG_PASSWORD} (default empty, for a trust-authenticated throwaway cluster).
 */
class DatabasePostgresTest extends DatabaseContract {

    static Optional<String> setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() || value.startsWith("${") ? Optional.empty() : Optional.of(value);
    }

    @BeforeAll
    static void needsPostgres() {
        Assumptions.assumeTrue(setting("METALFORGE_TEST_PG_URL").isPresent(),
                "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh (apt package postgresql)");
    }

    @Override
    JdbcSettings settings(int poolSize) {
        return new JdbcSettings(setting("METALFORGE_TEST_PG_URL").orElseThrow(),
                setting("METALFORGE_TEST_PG_USER").orElse("postgres"),
                setting("METALFORGE_TEST_PG_PASSWORD").orElse(""), poolSize);
    }

    @Test
    void isPostgres() {
        DatabaseService db = open(1, 5_000);
        assertEquals("postgresql", db.kind());
        // another region or an earlier installation may have filled it: never taken as new
        assertFalse(db.createdByThisStart());
    }
}
