package io.metalforge.http.internal;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;
import io.metalforge.api.platform.PlatformExecutor;

/**
 * Users, API keys and used OAuth nonces, in the platform database. Key secrets are stored as SHA-256 hashes only
 * (they are 32 random alphanumerics, about 190 bits, so a fast hash is enough). The keys signed requests use are
 * cached ({@link CredentialCache}); used nonces are kept until their timestamp can no longer pass the window, in
 * memory on the embedded database ({@link NonceMemory}) and in a table whose primary key makes a replay fail across
 * regions on PostgreSQL. Settings: PID {@value ApiConfiguration#PID} ({@link ApiConfiguration}).
 */
@Component(service = UserStore.class, configurationPid = ApiConfiguration.PID)
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
            """), new Migration(2, "credential version for caches; OAuth nonce memory kept across restarts", """
            CREATE TABLE api_credentials_version (
              id INT NOT NULL PRIMARY KEY,
              version BIGINT NOT NULL
            );
            INSERT INTO api_credentials_version (id, version) VALUES (1, 0);
            CREATE TABLE oauth_nonce_memory (
              bucket BIGINT NOT NULL,
              chunk INT NOT NULL,
              fingerprints VARCHAR(1000000) NOT NULL,
              PRIMARY KEY (bucket, chunk)
            );
            """));

    /** Rows of {@code oauth_nonce_memory}: chunk >= 0 holds fingerprints; these two mark the floor and lost buckets. */
    private static final int FLOOR_ROW = -1;
    private static final int LOST_ROW = -2;
    /** Fingerprints per row: 16 hexadecimal digits each, within the column's million characters. */
    private static final int FINGERPRINTS_PER_ROW = 50_000;

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
    private final NonceMemory nonces;
    private final CredentialCache credentials;
    private volatile boolean noncesLoaded;
    private volatile boolean migrated;

    /**
     * Opening the database and checking the schema take a while on a cold JVM; they run in the background so the
     * appliance starts (and Jetty comes up) meanwhile. Every operation waits for them.
     */
    @Activate
    public UserStore(@Reference Database db,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor, ApiConfiguration config) {
        this(db, Clock.systemUTC(), executor, config.oauth__nonce__max__entries(), config.credential__refresh__millis());
    }

    UserStore(Database db, Clock clock) throws SQLException {
        this(db, clock, DEFAULT_NONCE_ENTRIES, DEFAULT_REFRESH_MILLIS);
    }

    UserStore(Database db, Clock clock, long maxNonces, long refreshMillis) throws SQLException {
        this(db, clock, null, maxNonces, refreshMillis);
        ensureSchema();
    }

    private UserStore(Database db, Clock clock, PlatformExecutor executor, long maxNonces, long refreshMillis) {
        this.db = db;
        this.clock = clock;
        this.executor = executor;
        this.nonces = new NonceMemory(OAuthVerifier.WINDOW_SECONDS, maxNonces);
        this.credentials = new CredentialCache(clock, this::credentialVersion, refreshMillis);
    }

    static final long DEFAULT_NONCE_ENTRIES = 1_000_000;
    static final long DEFAULT_REFRESH_MILLIS = 1_000;

    /** New limits take effect at once, without restarting the component (which would reload every nonce). */
    @Modified
    void modified(ApiConfiguration config) {
        nonces.setMaxEntries(config.oauth__nonce__max__entries());
        credentials.setRefreshMillis(config.credential__refresh__millis());
    }

    /** Timestamps at or before this are refused for lack of room to remember their nonces. */
    long nonceFloor() {
        return nonces.floor();
    }

    /** The nonce memory (for tests). */
    NonceMemory nonceMemory() {
        return nonces;
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
            return credentialsChanged(c, ps.executeUpdate() > 0);
        }
    }

    /**
     * After a change of keys or users made on {@code c}: tells other processes (they read the version) and drops
     * this process's cache. Called after the change committed, so whoever sees the new version also sees it.
     */
    private boolean credentialsChanged(Connection c, boolean changed) throws SQLException {
        if (changed) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_credentials_version SET version = version + 1 WHERE id = 1")) {
                ps.executeUpdate();
            } finally {
                credentials.invalidate();
            }
        }
        return changed;
    }

    private long credentialVersion() throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM api_credentials_version WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
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
            credentialsChanged(c, ps.executeUpdate() > 0); // the new key may be cached as unknown
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
            return credentialsChanged(c, ps.executeUpdate() > 0);
        }
    }

    /** The key and its user as signed requests need them, from the cache (no database connection when cached). */
    Optional<Credential> credential(String consumerKey) throws SQLException {
        return credentials.get(consumerKey, this::loadCredential);
    }

    private Optional<Credential> loadCredential(String consumerKey) throws SQLException {
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
     * Records one use of a nonce whose timestamp the caller found within the window. On the embedded database (one
     * region) the used nonces live in memory ({@link NonceMemory}, bounded), are read from the database at the
     * first use and written back when the component stops, so a clean restart keeps them: no database write per
     * signed request. On PostgreSQL, which several regions may share, every nonce is inserted into
     * {@code oauth_nonces}, whose primary key refuses a replay in any region (there, a nonce is used once per key
     * whatever its timestamp); expired rows are purged from it at most once a minute.
     */
    NonceMemory.Verdict useNonce(String consumerKey, String tokenKey, String nonce, long timestamp, long now)
            throws SQLException {
        if (!"h2".equals(db.kind())) {
            boolean fresh = insertNonce(consumerKey, tokenKey, nonce,
                    Math.max(now, timestamp) + OAuthVerifier.WINDOW_SECONDS);
            return fresh ? NonceMemory.Verdict.FRESH : NonceMemory.Verdict.REPLAY;
        }
        loadNonces();
        return nonces.use(NonceMemory.fingerprint(consumerKey, tokenKey, nonce, timestamp), timestamp, now);
    }

    /**
     * What a previous run wrote back, once, then removed (this run writes its own at its end). Nonces an older
     * version left in {@code oauth_nonces} carry their expiry, not their timestamp: those that may still pass are
     * kept out by refusing timestamps up to theirs (their buckets, for those ahead of the clock).
     */
    private void loadNonces() throws SQLException {
        if (noncesLoaded) {
            return;
        }
        synchronized (nonces) {
            if (noncesLoaded) {
                return;
            }
            long now = clock.instant().getEpochSecond();
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT bucket, chunk, fingerprints FROM oauth_nonce_memory");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        restore(rs.getLong(1), rs.getInt(2), rs.getString(3));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT expires_at FROM oauth_nonces WHERE expires_at >= ?")) {
                    ps.setLong(1, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long timestamp = rs.getLong(1) - OAuthVerifier.WINDOW_SECONDS;
                            if (timestamp <= now) {
                                nonces.raiseFloor(timestamp);
                            } else {
                                nonces.markLost(NonceMemory.bucketOf(timestamp));
                            }
                        }
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM oauth_nonce_memory");
                    st.executeUpdate("DELETE FROM oauth_nonces");
                }
                c.commit();
            }
            noncesLoaded = true;
        }
    }

    private void restore(long bucket, int chunk, String fingerprints) {
        if (chunk == FLOOR_ROW) {
            nonces.raiseFloor(bucket);
        } else if (chunk == LOST_ROW) {
            nonces.markLost(bucket);
        } else {
            LongBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex(fingerprints)).asLongBuffer();
            long[] values = new long[in.remaining()];
            in.get(values);
            nonces.restore(bucket, values);
        }
    }

    /** Writes the nonces in memory to the database, so the next run still refuses their replay. */
    @Deactivate
    void saveNonces() {
        if (!noncesLoaded) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM oauth_nonce_memory");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO oauth_nonce_memory (bucket, chunk, fingerprints) VALUES (?, ?, ?)")) {
                for (NonceMemory.Bucket b : nonces.buckets(now)) {
                    long[] f = b.fingerprints();
                    for (int from = 0, chunk = 0; from < f.length; from += FINGERPRINTS_PER_ROW, chunk++) {
                        int n = Math.min(FINGERPRINTS_PER_ROW, f.length - from);
                        ByteBuffer bytes = ByteBuffer.allocate(n * Long.BYTES);
                        bytes.asLongBuffer().put(f, from, n);
                        addRow(ps, b.index(), chunk, HexFormat.of().formatHex(bytes.array()));
                    }
                }
                for (long lost : nonces.lostBuckets(now)) {
                    addRow(ps, lost, LOST_ROW, "");
                }
                if (nonces.floor() != Long.MIN_VALUE) {
                    addRow(ps, nonces.floor(), FLOOR_ROW, "");
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            System.err.println("metalforge: could not keep the OAuth nonces of this run: " + e.getMessage());
        }
    }

    private static void addRow(PreparedStatement ps, long bucket, int chunk, String fingerprints)
            throws SQLException {
        ps.setLong(1, bucket);
        ps.setInt(2, chunk);
        ps.setString(3, fingerprints);
        ps.addBatch();
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
            return credentialsChanged(c, ps.executeUpdate() > 0);
        }
    }

    private static UserAccount account(ResultSet rs) throws SQLException {
        return new UserAccount(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
    }
}
