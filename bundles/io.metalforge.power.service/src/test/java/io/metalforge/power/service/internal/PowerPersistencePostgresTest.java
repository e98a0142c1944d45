package io.metalforge.power.service.internal;

import io.metalforge.db.internal.TestDatabases;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import io.metalforge.db.internal.DatabaseService;

/**
 * The same restart tests on a real PostgreSQL: the migration and SQL are portable. Runs when METALFORGE_TEST_PG_URL
 * is set (see .ci/start-postgres.sh).
 */
class PowerPersistencePostgresTest extends PowerPersistenceTest {

    @Override
    DatabaseService open(Path dataDirectory) {
        Assumptions.assumeTrue(TestDatabases.setting("METALFORGE_TEST_PG_URL").isPresent(),
                "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh (apt package postgresql)");
        return TestDatabases.postgres(dataDirectory).orElseThrow();
    }
}
