package io.metalforge.http.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.apache.commons.codec.digest.DigestUtils;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;
import io.metalforge.api.platform.PlatformExecutor;

/**
 * Users, API keys and used OAuth nonces, in the platform database. Key secrets are stored as SHA-256 hashes only
 * (they are 32 random alphanumerics, about 190 bits, so a fast hash is enough). Nonces are kept until their
 * timestamp can no longer pass the window, in a table whose primary key makes a replay fail even across regions.
 */
@Component(service = UserStore.class)
public class UserStore {

    static final String OWNER = "io.metalforge.http";
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9@.+_-]{1,150}");

    static final List<Migration> MIGRATIONS = List.of(new Migration(1, "users, API keys and OAuth nonces", """
            CREATE TABLE api_users (
              username VARCHAR(150) NOT NULL PRIMARY KEY,
              email VARCHAR(254) NOT NULL,
              is_admin BOOLEAN NOT NULL,
              is_active BOOLEAN NOT NULL,
              created_at TIMESTAMP NOT NULL
            );
            CREATE TABLE api_keys (
              consumer_key VARCHAR(64) NOT NULL PRIMARY KEY,
              token_key VARCHAR(64) NOT NULL UNIQUE,
              secret_sha256 VARCHAR(64) NOT NULL,
              username VARCHAR(150) NOT NULL REFERENCES api_users (username) ON DELETE CASCADE,
              name VARCHAR(200) NOT NULL,
              created_at TIMESTAMP NOT NULL
            );
            CREATE INDEX api_keys_username ON api_keys (username);
            CREATE TABLE oauth_nonces (
              consumer_key VARCHAR(64) NOT NULL,
              token_key VARCHAR(64) NOT NULL,
              nonce VARCHAR(255) NOT NULL,
              expires_at BIGINT NOT NULL,
              PRIMARY KEY (consumer_key, token_key, nonce)
            );
            CREATE INDEX oauth_nonces_expiry ON oauth_nonces (expires_at);
            """));

    /** A key as the authenticator needs it. */
    record Credential(String consumerKey, String tokenKey, byte[] secretSha256, UserAccount user) {
    }

    /** A key as listed to operators (never the secret). */
    record KeyInfo(String consumerKey, String tokenKey, String username, String name, Instant created) {
    }

    private final Database db;
    private final Clock clock;
    private final PlatformExecutor executor;
    private final AtomicLong lastPurge = new AtomicLong();
    private final NonceWindow nonces = new NonceWindow();
    private volatile boolean noncesLoaded;
    private volatile boolean migrated;

    /**
     * Opening the database and checking the schema take a while on a cold JVM; they run in the background so the
     * appliance starts (and Jetty comes up) meanwhile. Every operation waits for them.
     */
    @Activate
    public UserStore(@Reference Database db,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor) {
        this.db = db;
        this.clock = Clock.systemUTC();
        this.executor = executor;
    }

    UserStore(Database db, Clock clock) throws SQLException {
        this.db = db;
        this.clock = clock;
        this.executor = null;
        ensureSchema();
    }

    @Activate
    void warmUp() {
        executor.submit("user-store-migrate", () -> {
            try {
                ensureSchema();
            } catch (SQLException e) {
                System.err.println("metalforge: user store schema migration failed: " + e.getMessage());
            }
        });
    }

    /** Applies this bundle's migrations once; later calls return at once. */
    void ensureSchema() throws SQLException {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (!migrated) {
                db.migrate(OWNER, MIGRATIONS);
                migrated = true;
            }
        }
    }

    private Connection connection() throws SQLException {
        ensureSchema();
        return db.connection();
    }

    static void checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "User names are 1 to 150 letters, digits and @ . + - _ characters: " + username);
        }
    }

    /** Creates a user; false when the name is taken. */
    boolean createUser(String username, String email, boolean admin) throws SQLException {
        checkUsername(username);
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_users (username, email, is_admin, is_active, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, username);
            ps.setString(2, email == null ? "" : email);
            ps.setBoolean(3, admin);
            ps.setBoolean(4, true);
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    Optional<UserAccount> user(String username) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT username, email, is_admin, is_active FROM api_users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(account(rs)) : Optional.empty();
            }
        }
    }

    List<UserAccount> users() throws SQLException {
        List<UserAccount> out = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT username, email, is_admin, is_active FROM api_users ORDER BY username");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(account(rs));
            }
        }
        return out;
    }

    boolean setActive(String username, boolean active) throws SQLException {
        return update("UPDATE api_users SET is_active = ? WHERE username = ?", active, username);
    }

    boolean setAdmin(String username, boolean admin) throws SQLException {
        return update("UPDATE api_users SET is_admin = ? WHERE username = ?", admin, username);
    }

    boolean deleteUser(String username) throws SQLException {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM api_users WHERE username = ?")) {
            ps.setString(1, username);
            return ps.executeUpdate() > 0;
        }
    }

    boolean hasAdmin() throws SQLException {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_users WHERE is_admin = TRUE");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Creates a key for an existing user; empty when the user does not exist. */
    Optional<ApiKey> createKey(String username, String name) throws SQLException {
        if (user(username).isEmpty()) {
            return Optional.empty();
        }
        ApiKey key = ApiKey.generate();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys "
                + "(consumer_key, token_key, secret_sha256, username, name, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.consumerKey());
            ps.setString(2, key.tokenKey());
            ps.setString(3, DigestUtils.sha256Hex(key.secret()));
            ps.setString(4, username);
            ps.setString(5, name == null ? "" : name);
            ps.setTimestamp(6, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
        return Optional.of(key);
    }

    /** Keys of one user, or of everyone when {@code username} is null. */
    List<KeyInfo> keys(String username) throws SQLException {
        List<KeyInfo> out = new ArrayList<>();
        String sql = "SELECT consumer_key, token_key, username, name, created_at FROM api_keys"
                + (username == null ? "" : " WHERE username = ?") + " ORDER BY username, created_at, consumer_key";
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (username != null) {
                ps.setString(1, username);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new KeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * Revokes a key given as {@code consumer}, {@code consumer:token} or the full key, or by its token key alone;
     * when {@code owner} is not null, only that user's key. True when a key was removed.
     */
    boolean revokeKey(String key, String owner) throws SQLException {
        String[] parts = key.split(":", -1);
        String sql = "DELETE FROM api_keys WHERE (consumer_key = ? OR token_key = ?)"
                + (parts.length > 1 ? " AND token_key = ?" : "") + (owner == null ? "" : " AND username = ?");
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, parts[0]);
            ps.setString(i++, parts.length > 1 ? parts[0] : key);
            if (parts.length > 1) {
                ps.setString(i++, parts[1]);
            }
            if (owner != null) {
                ps.setString(i, owner);
            }
            return ps.executeUpdate() > 0;
        }
    }

    Optional<Credential> credential(String consumerKey) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT k.consumer_key, k.token_key, k.secret_sha256, u.username, u.email, u.is_admin, u.is_active "
                        + "FROM api_keys k JOIN api_users u ON u.username = k.username WHERE k.consumer_key = ?")) {
            ps.setString(1, consumerKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Credential(rs.getString(1), rs.getString(2),
                        HexFormat.of().parseHex(rs.getString(3)),
                        new UserAccount(rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7))));
            }
        }
    }

    /**
     * Records a nonce; false when it was used before by this key. On the embedded database (one region) nonces are
     * kept in a bounded in-memory window ({@link NonceWindow}), loaded from the table at first use and written back
     * to it when the component stops, so a clean restart keeps them; on PostgreSQL, which several regions may share,
     * every nonce goes to the table, whose primary key makes a replay fail across regions. Expired nonces are purged
     * from the table at most once a minute.
     */
    boolean useNonce(String consumerKey, String tokenKey, String nonce, long expiresEpochSecond)
            throws SQLException {
        if (!"h2".equals(db.kind())) {
            return insertNonce(consumerKey, tokenKey, nonce, expiresEpochSecond);
        }
        loadNonces();
        long now = clock.instant().getEpochSecond();
        return switch (nonces.use(consumerKey, tokenKey, nonce, expiresEpochSecond, now)) {
        case FRESH -> true;
        case REPLAY -> false;
        case ASK_DATABASE -> insertNonce(consumerKey, tokenKey, nonce, expiresEpochSecond);
        };
    }

    /** The nonces a previous run wrote back, once. */
    private void loadNonces() throws SQLException {
        if (noncesLoaded) {
            return;
        }
        synchronized (nonces) {
            if (noncesLoaded) {
                return;
            }
            try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT consumer_key, token_key, nonce, expires_at FROM oauth_nonces WHERE expires_at >= ?")) {
                ps.setLong(1, clock.instant().getEpochSecond());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        nonces.remember(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
                    }
                }
            }
            noncesLoaded = true;
        }
    }

    /** Writes the in-memory nonces to the table, so the next run still refuses their replay. */
    @Deactivate
    void saveNonces() {
        if (!noncesLoaded) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("MERGE INTO oauth_nonces "
                + "(consumer_key, token_key, nonce, expires_at) KEY (consumer_key, token_key, nonce) VALUES (?, ?, ?, ?)")) {
            nonces.forEach(now, (ck, tk, nonce, expires) -> {
                try {
                    ps.setString(1, ck);
                    ps.setString(2, tk);
                    ps.setString(3, nonce);
                    ps.setLong(4, expires);
                    ps.addBatch();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            ps.executeBatch();
        } catch (SQLException | IllegalStateException e) {
            System.err.println("metalforge: could not keep the OAuth nonces of this run: " + e.getMessage());
        }
    }

    private boolean insertNonce(String consumerKey, String tokenKey, String nonce, long expiresEpochSecond)
            throws SQLException {
        long now = clock.instant().getEpochSecond();
        long previous = lastPurge.get();
        if (now - previous >= 60 && lastPurge.compareAndSet(previous, now)) {
            try (Connection c = connection();
                    PreparedStatement ps = c.prepareStatement("DELETE FROM oauth_nonces WHERE expires_at < ?")) {
                ps.setLong(1, now);
                ps.executeUpdate();
            }
        }
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO oauth_nonces (consumer_key, token_key, nonce, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, consumerKey);
            ps.setString(2, tokenKey);
            ps.setString(3, nonce);
            ps.setLong(4, expiresEpochSecond);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private boolean update(String sql, boolean flag, String username) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBoolean(1, flag);
            ps.setString(2, username);
            return ps.executeUpdate() > 0;
        }
    }

    private static UserAccount account(ResultSet rs) throws SQLException {
        return new UserAccount(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
    }
}
