package io.metalforge.power.service.internal;

import java.util.List;

import io.metalforge.api.db.Migration;

/** The power service's schema, owner "power". Portable SQL: runs unchanged on H2 and PostgreSQL. */
final class PowerMigrations {

    static final String OWNER = "power";

    /*
     * Secret values live in their own column so that nothing reading parameters can leak them; they are stored in
     * clear because the drivers need them to act (as MAAS stores BMC passwords): access to the database implies
     * access to BMC secrets.
     */
    static final List<Migration> ALL = List.of(new Migration(1, "BMC settings per machine", """
            CREATE TABLE power_bmc (
              system_id VARCHAR(64) NOT NULL PRIMARY KEY,
              power_type VARCHAR(255) NOT NULL,
              parameters VARCHAR(1000000) NOT NULL DEFAULT '{}',
              secrets VARCHAR(1000000) NOT NULL DEFAULT '{}',
              updated_at TIMESTAMP NOT NULL
            );
            """));

    private PowerMigrations() {
    }
}
