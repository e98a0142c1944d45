package io.metalforge.http.internal;

import io.metalforge.db.internal.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiException;
import io.metalforge.db.internal.DatabaseService;

/** The administration commands behind Gogo and bin/metalforge-admin, on the real embedded database. */
class AdminCommandsTest {

    @TempDir
    Path data;

    DatabaseService db;
    UserStore users;
    AdminCommands commands;
    OAuthVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.h2(data);
        users = new UserStore(db, Clock.systemUTC());
        commands = new AdminCommands(users);
        verifier = new OAuthVerifier(users, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static ApiKey lastLineKey(String output) {
        List<String> lines = output.lines().toList();
        String[] parts = lines.get(lines.size() - 1).split(":");
        assertEquals(3, parts.length, output);
        assertEquals(18, parts[0].length());
        assertEquals(18, parts[1].length());
        assertEquals(32, parts[2].length());
        return new ApiKey(parts[0], parts[1], parts[2]);
    }

    Map<String, String> signed(ApiKey key, String nonce) {
        return Map.of("oauth_consumer_key", key.consumerKey(), "oauth_token", key.tokenKey(), "oauth_signature",
                "&" + key.secret(), "oauth_signature_method", "PLAINTEXT", "oauth_timestamp",
                Long.toString(System.currentTimeMillis() / 1000), "oauth_nonce", nonce);
    }

    @Test
    void createadminMakesAnAdministratorWithAWorkingKey() throws Exception {
        assertFalse(users.hasAdmin());
        AdminCommands.Result r = commands.run("createadmin", "root", "root@example.com");
        assertEquals(0, r.exitCode());
        assertTrue(r.output().startsWith("Administrator root created."));
        ApiKey key = lastLineKey(r.output());
        assertTrue(users.hasAdmin());
        assertEquals("root", verifier.verify(signed(key, "1")).username());
        assertTrue(verifier.verify(signed(key, "2")).admin());
        // again: the user stays, becomes an active admin, and gets another key
        users.setActive("root", false);
        r = commands.run("createadmin", "root");
        assertTrue(r.output().startsWith("User root exists; it is an active administrator now."));
        assertEquals(2, users.keys("root").size());
    }

    @Test
    void apikeyListCreateRevoke() throws Exception {
        users.createUser("dev", "", false);
        ApiKey key = lastLineKey(commands.run("apikey", "create", "dev", "laptop").output());
        String list = commands.run("apikey", "list", "dev").output();
        assertTrue(list.contains(key.consumerKey() + ":" + key.tokenKey()), list);
        assertTrue(list.contains("laptop"));
        assertFalse(list.contains(key.secret()), "list never shows secrets");
        assertEquals(0, commands.run("apikey", "revoke", key.formatted()).exitCode());
        ApiException e = assertThrows(ApiException.class, () -> verifier.verify(signed(key, "3")));
        assertEquals("Authorization Error: Invalid API key.", e.getMessage());
        assertEquals(new AdminCommands.Result(1, "no such API key"), commands.run("apikey", "revoke", "nope"));
        assertEquals(new AdminCommands.Result(1, "no such user: ghost"), commands.run("apikey", "create", "ghost"));
        assertEquals("no API keys for dev", commands.run("apikey", "list", "dev").output());
    }

    @Test
    void badInputGetsUsageOrAClearError() {
        assertEquals(2, commands.run().exitCode());
        assertEquals(2, commands.run("apikey").exitCode());
        assertEquals(2, commands.run("frobnicate").exitCode());
        AdminCommands.Result r = commands.run("createadmin", "bad name!");
        assertEquals(1, r.exitCode());
        assertTrue(r.output().startsWith("User names are 1 to 150 letters"), r.output());
    }

    @Test
    void gogoCommandsDelegate() throws Exception {
        UserCommands gogo = new UserCommands(users);
        assertTrue(gogo.createadmin("shell").contains("Administrator shell created."));
        assertTrue(gogo.users().contains("shell"));
        assertTrue(gogo.apikey("list").contains("shell"));
        assertEquals(List.of("createadmin", "x"), AdminCommandLine.split("  createadmin   x "));
    }
}
