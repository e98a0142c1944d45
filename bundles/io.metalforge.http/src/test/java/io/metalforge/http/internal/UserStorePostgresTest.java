package io.metalforge.http.internal;

import io.metalforge.db.internal.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiException;
import io.metalforge.db.internal.DatabaseService;

/**
 * The users, keys and nonce tables on a real PostgreSQL: the same migrations and SQL as on H2. Runs when
 * METALFORGE_TEST_PG_URL is set (see .ci/start-postgres.sh).
 */
class UserStorePostgresTest {

    @TempDir
    Path data;

    @Test
    void migrationsUsersKeysAndNonceReplayOnPostgres() throws Exception {
        Assumptions.assumeTrue(TestDatabases.setting("METALFORGE_TEST_PG_URL").isPresent(),
                "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh (apt package postgresql)");
        DatabaseService db = TestDatabases.postgres(data).orElseThrow();
        try {
            assertEquals("postgresql", db.kind());
            MutableClock clock = new MutableClock(Instant.now());
            UserStore users = new UserStore(db, clock);
            new UserStore(db, clock); // a second region starting: migrations are not applied twice
            String name = "pg" + Long.toHexString(System.nanoTime());
            assertTrue(users.createUser(name, name + "@example.com", true));
            assertFalse(users.createUser(name, "", false), "duplicate names are refused");
            ApiKey key = users.createKey(name, "pg").orElseThrow();
            OAuthVerifier verifier = new OAuthVerifier(users, clock);
            Map<String, String> params = Map.of("oauth_consumer_key", key.consumerKey(), "oauth_token",
                    key.tokenKey(), "oauth_signature", "&" + key.secret(), "oauth_signature_method", "PLAINTEXT",
                    "oauth_timestamp", Long.toString(clock.now.getEpochSecond()), "oauth_nonce", "n1");
            assertEquals(name, verifier.verify(params).username());
            ApiException replay = assertThrows(ApiException.class, () -> verifier.verify(params));
            assertEquals("Authorization Error: 'Nonce already used: n1'", replay.getMessage());
            // another region on the same database refuses the replay too (the nonce table is shared)
            UserStore region2 = new UserStore(db, clock);
            OAuthVerifier verifier2 = new OAuthVerifier(region2, clock);
            replay = assertThrows(ApiException.class, () -> verifier2.verify(params));
            assertEquals("Authorization Error: 'Nonce already used: n1'", replay.getMessage());
            // a key revoked by the other region is refused here once the cached version is older than the interval
            Map<String, String> fresh = new java.util.HashMap<>(params);
            fresh.put("oauth_nonce", "n2");
            assertEquals(name, verifier.verify(fresh).username()); // cached here
            assertTrue(region2.revokeKey(key.consumerKey(), null));
            clock.now = clock.now.plusMillis(UserStore.DEFAULT_REFRESH_MILLIS);
            fresh.put("oauth_nonce", "n3");
            ApiException revoked = assertThrows(ApiException.class, () -> verifier.verify(fresh));
            assertEquals("Authorization Error: Invalid API key.", revoked.getMessage());
            assertTrue(users.deleteUser(name));
            assertTrue(users.keys(name).isEmpty(), "keys go with their user");
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM oauth_nonces WHERE consumer_key = '" + key.consumerKey() + "'");
            }
        } finally {
            db.close();
        }
    }
}
