package io.metalforge.http.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/**
 * The same lifecycle tests on a real PostgreSQL: the migrations and SQL are portable and the compare-and-set
 * transitions hold there. Runs when METALFORGE_TEST_PG_URL is set (see .ci/start-postgres.sh); each test starts
 * from no machines.
 */
class MachineLifecyclePostgresTest extends MachineLifecycleHttpTest {

    private boolean emptied;

    @Override
    @BeforeEach
    void start() throws Exception {
        emptied = false;
        super.start();
    }

    @Override
    MachinesPlatform open(Path folder) throws Exception {
        Assumptions.assumeTrue(TestDatabases.setting("METALFORGE_TEST_PG_URL").isPresent(),
                "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh (apt package postgresql)");
        DatabaseService db = TestDatabases.postgres(folder).orElseThrow();
        if (!emptied) {
            emptied = true;
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                for (String table : new String[] { "machine_event", "machine_file", "machine_interface", "machine",
                        "catalog_resource" }) {
                    try {
                        s.executeUpdate("DELETE FROM " + table);
                    } catch (java.sql.SQLException notYetCreated) {
                        // first run on this database: the migrations create it
                    }
                }
            }
        }
        return new MachinesPlatform(folder, db);
    }
}
