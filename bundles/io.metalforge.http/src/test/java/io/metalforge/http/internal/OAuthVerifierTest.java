package io.metalforge.http.internal;

import io.metalforge.db.internal.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiUser;
import io.metalforge.db.internal.DatabaseService;

/** OAuth 1.0a PLAINTEXT validation against a real user store, with MAAS's statuses and messages. */
class OAuthVerifierTest {

    @TempDir
    java.nio.file.Path data;

    DatabaseService db;
    UserStore users;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T06:00:00Z"));
    OAuthVerifier verifier;
    ApiKey key;
    long nonce = 1000;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.h2(data);
        users = new UserStore(db, clock);
        verifier = new OAuthVerifier(users, clock);
        users.createUser("alice", "alice@example.com", false);
        key = users.createKey("alice", "test").orElseThrow();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** The header the maas CLI sends (python-oauthlib): percent-encoded values, no realm. */
    String cliHeader(ApiKey k, long timestamp, String nonceValue) {
        return "OAuth oauth_nonce=\"" + nonceValue + "\", oauth_timestamp=\"" + timestamp
                + "\", oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", oauth_consumer_key=\""
                + k.consumerKey() + "\", oauth_token=\"" + k.tokenKey() + "\", oauth_signature=\"%26" + k.secret()
                + "\"";
    }

    ApiUser verifyHeader(String header) throws ApiException {
        return verifier.verify(OAuthVerifier.parseHeader(header));
    }

    long now() {
        return clock.now.getEpochSecond();
    }

    @Test
    void acceptsTheMaasCliHeader() throws Exception {
        ApiUser user = verifyHeader(cliHeader(key, now(), "123456"));
        assertEquals(new ApiUser("alice", false), user);
    }

    @Test
    void acceptsGomaasapiStyleRealmRandomOrderAndHexNonce() throws Exception {
        String header = "OAuth realm=\"MAAS+API\", oauth_signature=\"%26" + key.secret() + "\", oauth_token=\""
                + key.tokenKey() + "\", oauth_consumer_key=\"" + key.consumerKey()
                + "\", oauth_signature_method=\"PLAINTEXT\", oauth_nonce=\"9f86d081884c7d65\", oauth_timestamp=\""
                + now() + "\", oauth_version=\"1.0\"";
        assertEquals("alice", verifyHeader(header).username());
        assertEquals("alice", verifyHeader(header.replace("realm=\"MAAS+API\"", "realm=\"\"")
                .replace("9f86d081884c7d65", "9f86d081884c7d66")).username());
    }

    @Test
    void acceptsParametersFromTheQueryOrForm() throws Exception {
        Map<String, java.util.List<String>> params = new LinkedHashMap<>();
        params.put("op", java.util.List.of("whoami"));
        params.put("oauth_consumer_key", java.util.List.of(key.consumerKey()));
        params.put("oauth_token", java.util.List.of(key.tokenKey()));
        params.put("oauth_signature", java.util.List.of("&" + key.secret()));
        params.put("oauth_signature_method", java.util.List.of("PLAINTEXT"));
        params.put("oauth_timestamp", java.util.List.of(Long.toString(now())));
        params.put("oauth_nonce", java.util.List.of("77"));
        assertEquals("alice", verifier.verify(OAuthVerifier.fromParameters(params)).username());
    }

    @Test
    void nonIntegerTimestampIs400BadRequest() {
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(key, 0, "1")
                .replace("oauth_timestamp=\"0\"", "oauth_timestamp=\"yesterday\"")));
        assertEquals(400, e.status());
        assertEquals("Bad Request: Invalid OAuth timestamp: 'yesterday'.", e.getMessage());
    }

    @Test
    void timestampOlderThan300SecondsIsRejectedButFutureIsNot() throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(key, now() - 301, "1")));
        assertEquals(401, e.status());
        assertEquals("Authorization Error: 'Expired timestamp: given " + (now() - 301) + " and now " + now()
                + " has a greater difference than threshold 300'", e.getMessage());
        assertEquals("alice", verifyHeader(cliHeader(key, now() - 300, "2")).username());
        assertEquals("alice", verifyHeader(cliHeader(key, now() + 3600, "3")).username());
    }

    @Test
    void timestampsOutsideASaneRangeAreRejectedWithoutOverflow() throws Exception {
        for (long t : new long[] { Long.MIN_VALUE, -Long.MAX_VALUE, -1, 0, now() - 301 }) {
            ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(key, t, "old" + t)));
            assertEquals(401, e.status());
            assertTrue(e.getMessage().startsWith("Authorization Error: 'Expired timestamp: given " + t), e.getMessage());
        }
        for (long t : new long[] { Long.MAX_VALUE, Long.MAX_VALUE - 300, now() + 86_401 }) {
            ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(key, t, "new" + t)));
            assertEquals(401, e.status());
            assertEquals("Authorization Error: 'Timestamp " + t + " is more than 86400 seconds ahead of the server "
                    + "clock " + now() + "'", e.getMessage());
        }
        // the furthest accepted timestamp: its nonce is remembered until it can no longer pass, not a minute
        String header = cliHeader(key, now() + 86_400, "far");
        assertEquals("alice", verifyHeader(header).username());
        clock.now = clock.now.plusSeconds(3600);
        ApiException replay = assertThrows(ApiException.class, () -> verifyHeader(header));
        assertEquals("Authorization Error: 'Nonce already used: far'", replay.getMessage());
    }

    @Test
    void replayedNonceIsRejected() throws Exception {
        String header = cliHeader(key, now(), "4242");
        verifyHeader(header);
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(header));
        assertEquals(401, e.status());
        assertEquals("Authorization Error: 'Nonce already used: 4242'", e.getMessage());
        // the same nonce from another key is a different nonce
        ApiKey other = users.createKey("alice", "second").orElseThrow();
        assertEquals("alice", verifyHeader(cliHeader(other, now(), "4242")).username());
    }

    @Test
    void noncesArePurgedOnlyAfterTheyCanNoLongerPass() throws Exception {
        String header = cliHeader(key, now(), "5");
        verifyHeader(header);
        clock.now = clock.now.plusSeconds(200);
        assertThrows(ApiException.class, () -> verifyHeader(header), "still remembered within the window");
        clock.now = clock.now.plusSeconds(400);
        verifyHeader(cliHeader(key, now(), "6")); // triggers the purge
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM oauth_nonces WHERE nonce = '5'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void noncesLiveInMemoryOnTheEmbeddedDatabaseAndSurviveACleanRestart() throws Exception {
        String header = cliHeader(key, now(), "mem1");
        verifyHeader(header);
        for (int i = 0; i < 50; i++) {
            verifyHeader(cliHeader(key, now(), "mem-n" + i));
        }
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM oauth_nonces")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no database insert per signed request");
        }
        users.saveNonces(); // what deactivation does
        UserStore restarted = new UserStore(db, clock);
        OAuthVerifier again = new OAuthVerifier(restarted, clock);
        ApiException e = assertThrows(ApiException.class, () -> again.verify(OAuthVerifier.parseHeader(header)));
        assertEquals("Authorization Error: 'Nonce already used: mem1'", e.getMessage());
        assertEquals("alice", again.verify(OAuthVerifier.parseHeader(cliHeader(key, now(), "mem2"))).username());
    }

    /** A store whose nonce memory holds at most {@code max} entries, on the same database and clock. */
    OAuthVerifier withNonceBound(long max) throws Exception {
        return new OAuthVerifier(new UserStore(db, clock, max, UserStore.DEFAULT_REFRESH_MILLIS), clock);
    }

    @Test
    void aReplayIsRefusedAfterTheNonceMemoryOverflowed() throws Exception {
        OAuthVerifier small = withNonceBound(100);
        long early = now() - 60;
        String first = cliHeader(key, early, "early");
        assertEquals("alice", small.verify(OAuthVerifier.parseHeader(first)).username());
        String current = cliHeader(key, now(), "current");
        assertEquals("alice", small.verify(OAuthVerifier.parseHeader(current)).username());
        for (int i = 0; i < 500; i++) { // five times the bound, 5 a second with the current time: never refused
            assertEquals("alice", small.verify(OAuthVerifier.parseHeader(cliHeader(key, now(), "n" + i))).username());
            if (i % 5 == 4) {
                clock.now = clock.now.plusSeconds(1);
            }
        }
        // the early nonce's period was dropped for room: its replay is refused as expired, not accepted
        ApiException e = assertThrows(ApiException.class, () -> small.verify(OAuthVerifier.parseHeader(first)));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("Authorization Error: 'Expired timestamp: given " + early + " and now "
                + now() + ": too many signed requests"), e.getMessage());
        e = assertThrows(ApiException.class, () -> small.verify(OAuthVerifier.parseHeader(current)));
        assertTrue(e.getMessage().startsWith("Authorization Error: 'Expired timestamp: given "), e.getMessage());
        // a nonce never seen, timestamped at or before a dropped period's end, is refused too: it may be a replay
        ApiException old = assertThrows(ApiException.class,
                () -> small.verify(OAuthVerifier.parseHeader(cliHeader(key, now() - 30, "never-seen"))));
        assertEquals(401, old.status());
        assertTrue(old.getMessage().contains("too many signed requests"), old.getMessage());
        // the recent ones are still remembered exactly
        e = assertThrows(ApiException.class,
                () -> small.verify(OAuthVerifier.parseHeader(cliHeader(key, now() - 1, "n499"))));
        assertEquals("Authorization Error: 'Nonce already used: n499'", e.getMessage());
    }

    @Test
    void twoMillionNoncesOfOneKeyStayWithinTheBound() throws Exception {
        long bound = 200_000;
        UserStore store = new UserStore(db, clock, bound, UserStore.DEFAULT_REFRESH_MILLIS);
        OAuthVerifier v = new OAuthVerifier(store, clock);
        long deadline = System.nanoTime() + 45_000_000_000L;
        for (int i = 0; i < 2_000_000; i++) {
            if (i % 10_000 == 0) {
                clock.now = clock.now.plusSeconds(1); // 10,000 signed requests a second for 200 s
                assertTrue(System.nanoTime() < deadline, "too slow: " + i + " nonces in 45 s");
                assertTrue(store.nonceMemory().size() <= bound);
            }
            // what the verifier calls once the signature passed
            assertEquals(NonceMemory.Verdict.FRESH, store.useNonce(key.consumerKey(), key.tokenKey(),
                    Integer.toString(i), now(), now()));
        }
        // whole periods (100,000 nonces each here) are dropped: between the bound less one period and the bound
        assertTrue(store.nonceMemory().size() > bound - 100_000 && store.nonceMemory().size() <= bound);
        // the floor trails the clock by about bound / rate = 20 s: current clients pass, older timestamps do not
        assertTrue(store.nonceFloor() > now() - 30 && store.nonceFloor() < now() - 10, "floor " + store.nonceFloor());
        assertEquals("alice", v.verify(OAuthVerifier.parseHeader(cliHeader(key, now(), "x"))).username());
        ApiException e = assertThrows(ApiException.class,
                () -> v.verify(OAuthVerifier.parseHeader(cliHeader(key, now(), "1999999"))));
        assertEquals("Authorization Error: 'Nonce already used: 1999999'", e.getMessage());
        e = assertThrows(ApiException.class,
                () -> v.verify(OAuthVerifier.parseHeader(cliHeader(key, now() - 40, "y"))));
        assertTrue(e.getMessage().contains("too many signed requests"), e.getMessage());
    }

    @Test
    void theCurrentPeriodIsNeverDroppedButFutureOnesAre() {
        NonceMemory m = new NonceMemory(300, 4);
        long now = 1_000_000;
        assertEquals(NonceMemory.Verdict.FRESH, m.use(1, now + 5_000, now));
        assertEquals(NonceMemory.Verdict.FRESH, m.use(2, now + 9_000, now));
        assertEquals(NonceMemory.Verdict.FRESH, m.use(3, now, now));
        assertEquals(NonceMemory.Verdict.FRESH, m.use(4, now, now));
        // full, nothing older than now: the furthest future period goes, and stays refused until it expires
        assertEquals(NonceMemory.Verdict.FRESH, m.use(5, now, now));
        assertEquals(NonceMemory.Verdict.LOST, m.use(2, now + 9_000, now), "a replay in a dropped period");
        assertEquals(NonceMemory.Verdict.LOST, m.use(99, now + 9_001, now + 1));
        assertEquals(NonceMemory.Verdict.FRESH, m.use(6, now, now));
        assertEquals(NonceMemory.Verdict.REPLAY, m.use(3, now, now));
        // only the current period left and full: busy, never a forgotten nonce
        assertEquals(NonceMemory.Verdict.BUSY, m.use(7, now, now));
        assertEquals(NonceMemory.Verdict.REPLAY, m.use(4, now, now));
        assertEquals(4, m.size());
        // time moves on: the old period is dropped first
        assertEquals(NonceMemory.Verdict.FRESH, m.use(8, now + 10, now + 10));
        assertEquals(NonceMemory.Verdict.TOO_OLD, m.use(3, now, now + 10));
        assertTrue(m.size() <= 4);
    }

    @Test
    void droppedPeriodsSurviveACleanRestart() throws Exception {
        OAuthVerifier small = new OAuthVerifier(users, clock);
        users.nonceMemory().setMaxEntries(2);
        String old = cliHeader(key, now() - 100, "old");
        small.verify(OAuthVerifier.parseHeader(old));
        small.verify(OAuthVerifier.parseHeader(cliHeader(key, now(), "a")));
        small.verify(OAuthVerifier.parseHeader(cliHeader(key, now(), "b"))); // drops the old period
        String kept = cliHeader(key, now(), "b");
        users.saveNonces();
        UserStore restarted = new UserStore(db, clock);
        OAuthVerifier again = new OAuthVerifier(restarted, clock);
        ApiException e = assertThrows(ApiException.class, () -> again.verify(OAuthVerifier.parseHeader(old)));
        assertTrue(e.getMessage().startsWith("Authorization Error: 'Expired timestamp"), e.getMessage());
        e = assertThrows(ApiException.class, () -> again.verify(OAuthVerifier.parseHeader(kept)));
        assertEquals("Authorization Error: 'Nonce already used: b'", e.getMessage());
    }

    @Test
    void wrongSecretIsInvalidSignatureWithoutEchoingTheSecret() {
        ApiKey forged = new ApiKey(key.consumerKey(), key.tokenKey(), "x".repeat(32));
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(forged, now(), "7")));
        assertEquals(401, e.status());
        assertEquals("Authorization Error: 'Invalid signature.'", e.getMessage());
        assertFalse(e.getMessage().contains(key.secret()));
        String noAmpersand = cliHeader(key, now(), "8").replace("%26" + key.secret(), key.secret());
        e = assertThrows(ApiException.class, () -> verifyHeader(noAmpersand));
        assertEquals("Authorization Error: 'Invalid signature.'", e.getMessage());
    }

    @Test
    void missingParameterIs401() {
        String header = cliHeader(key, now(), "9").replaceAll(", oauth_token=\"[^\"]*\"", "");
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(header));
        assertEquals(401, e.status());
        assertEquals("Authorization Error: Missing OAuth parameter: oauth_token.", e.getMessage());
    }

    @Test
    void unknownKeyAndTokenAre401WithMaasMessages() {
        ApiKey unknown = ApiKey.generate();
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(unknown, now(), "10")));
        assertEquals(401, e.status());
        assertEquals("Authorization Error: Invalid API key.", e.getMessage());
        ApiKey wrongToken = new ApiKey(key.consumerKey(), "T".repeat(18), key.secret());
        e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(wrongToken, now(), "11")));
        assertEquals("Authorization Error: 'Invalid access token: " + "T".repeat(18) + "'", e.getMessage());
    }

    @Test
    void inactiveUserIs403() throws Exception {
        users.setActive("alice", false);
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(key, now(), "12")));
        assertEquals(403, e.status());
        assertEquals("User is not allowed access to this API.", e.getMessage());
    }

    @Test
    void revokedKeyIsUnknown() throws Exception {
        assertTrue(users.revokeKey(key.consumerKey() + ":" + key.tokenKey(), null));
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader(cliHeader(key, now(), "13")));
        assertEquals("Authorization Error: Invalid API key.", e.getMessage());
    }

    @Test
    void malformedHeaderIs401() {
        ApiException e = assertThrows(ApiException.class, () -> verifyHeader("OAuth garbage-without-pairs"));
        assertEquals(401, e.status());
        assertEquals("Authorization Error: Unable to parse OAuth parameters from Authorization header.",
                e.getMessage());
        e = assertThrows(ApiException.class, () -> verifyHeader("OAuth oauth_nonce=\"%zz\""));
        assertEquals(401, e.status());
    }

    @Test
    void unsupportedVersionAndMethodAre401() {
        ApiException e = assertThrows(ApiException.class,
                () -> verifyHeader(cliHeader(key, now(), "14").replace("\"1.0\"", "\"2.0\"")));
        assertEquals("Authorization Error: 'OAuth version 2.0 not supported.'", e.getMessage());
        e = assertThrows(ApiException.class,
                () -> verifyHeader(cliHeader(key, now(), "15").replace("PLAINTEXT", "HMAC-SHA1")));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("Authorization Error: 'Signature method HMAC-SHA1 not supported"));
    }

    @Test
    void secretsAreStoredOnlyAsHashes() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM api_keys")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    String v = rs.getString(i);
                    assertFalse(v != null && v.contains(key.secret()), "column " + i + " holds the secret");
                }
            }
        }
        assertFalse(key.toString().contains(key.secret()));
    }
}
