package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;

/**
 * Signed requests verified from the credential cache, through the HTTP API on a real Jetty and the real embedded
 * database: no database connection per request, revocation by this process effective at once, by another process
 * on the same database within the refresh interval.
 */
class CredentialCacheHttpTest {

    @TempDir
    java.nio.file.Path data;

    TestServer server;
    ApiKey bob;

    /** The database as the user store sees it, counting the connections it borrows. */
    static final class CountingDatabase implements Database {
        final Database inner;
        final AtomicInteger borrowed = new AtomicInteger();

        CountingDatabase(Database inner) {
            this.inner = inner;
        }

        @Override
        public String kind() {
            return inner.kind();
        }

        @Override
        public Connection connection() throws SQLException {
            borrowed.incrementAndGet();
            return inner.connection();
        }

        @Override
        public void migrate(String owner, List<Migration> migrations) throws SQLException {
            inner.migrate(owner, migrations);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer(data, FormLimits.DEFAULT);
        server.users.createUser("bob", "bob@example.com", false);
        bob = server.users.createKey("bob", "first").orElseThrow();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    HttpResponse<String> whoami(ApiKey key) throws Exception {
        return server.get("users/?op=whoami", key);
    }

    @Test
    void signedRequestsBorrowNoDatabaseConnection() throws Exception {
        CountingDatabase counting = new CountingDatabase(server.db);
        UserStore store = new UserStore(counting, Clock.systemUTC(), 1000, 60_000);
        OAuthVerifier verifier = new OAuthVerifier(store, Clock.systemUTC());
        verifier.verify(OAuthVerifier.parseHeader(server.sign(bob))); // loads the key, the version, the nonces
        int before = counting.borrowed.get();
        for (int i = 0; i < 200; i++) {
            assertEquals("bob", verifier.verify(OAuthVerifier.parseHeader(server.sign(bob))).username());
        }
        assertEquals(before, counting.borrowed.get(), "200 signed requests, no connection borrowed");
    }

    @Test
    void aKeyRevokedThroughTheApiIsRefusedAtOnce() throws Exception {
        ApiKey second = server.users.createKey("bob", "second").orElseThrow();
        assertEquals(200, whoami(second).statusCode());
        assertEquals(200, whoami(bob).statusCode());
        HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(server.uri("account/"))
                .header("Authorization", server.sign(bob))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("op=delete_authorisation_token&token_key="
                        + second.tokenKey())));
        assertEquals(204, deleted.statusCode(), deleted.body());
        HttpResponse<String> refused = whoami(second);
        assertEquals(401, refused.statusCode());
        assertEquals("Authorization Error: Invalid API key.", refused.body());
        assertEquals(200, whoami(bob).statusCode(), "the other key still works");
    }

    @Test
    void aDeactivatedUserIsRefusedAtOnce() throws Exception {
        assertEquals(200, whoami(bob).statusCode());
        server.users.setActive("bob", false);
        assertEquals(403, whoami(bob).statusCode());
        server.users.setActive("bob", true);
        assertEquals(200, whoami(bob).statusCode());
    }

    @Test
    void aKeyRevokedByAnotherProcessIsRefusedWithinTheRefreshInterval() throws Exception {
        assertEquals(200, whoami(bob).statusCode()); // cached here
        // another process on the same database (bin/metalforge-admin, another region): its own user store
        UserStore elsewhere = new UserStore(server.db, Clock.systemUTC());
        assertEquals(new AdminCommands.Result(0, "revoked"),
                new AdminCommands(elsewhere).run("apikey", "revoke", bob.formatted()));
        long revoked = System.nanoTime();
        int status;
        do {
            status = whoami(bob).statusCode();
        } while (status == 200 && System.nanoTime() - revoked < 5_000_000_000L);
        long tookMillis = (System.nanoTime() - revoked) / 1_000_000;
        assertEquals(401, status);
        assertTrue(tookMillis <= UserStore.DEFAULT_REFRESH_MILLIS + 1_000, "refused after " + tookMillis + " ms");
    }
}
