package io.metalforge.http.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys signed requests name, in memory, so verifying a request needs no database connection. Unknown keys
 * are remembered too (as empty), so a client repeating a wrong key costs no query either.
 * <p>
 * Invalidation: every change of a key or of a user's flags in the database also increments one version number
 * (table {@code api_credentials_version}), in the same process that made it. This process drops the whole cache at
 * once after its own changes; changes made by another process on the same database (another region on PostgreSQL,
 * {@code bin/metalforge-admin} beside the appliance) are seen when the version is next read, at most
 * {@code refreshMillis} later: the first request after that interval reads it (one small query per interval, not
 * one per request). A lookup that raced with a drop writes its answer into the dropped map, never the new one, so
 * a revoked key cannot come back.
 */
final class CredentialCache {

    /** Most keys held; past that the cache starts over (memory stays bounded whatever keys clients send). */
    static final int MAX_ENTRIES = 10_000;

    @FunctionalInterface
    interface Loader {
        Optional<UserStore.Credential> load(String consumerKey) throws SQLException;
    }

    @FunctionalInterface
    interface VersionReader {
        long read() throws SQLException;
    }

    private final Clock clock;
    private final VersionReader versions;
    private volatile Map<String, Optional<UserStore.Credential>> entries = new ConcurrentHashMap<>();
    private volatile long refreshMillis;
    private volatile long verifiedAt;
    private volatile boolean verified;
    private long version;

    CredentialCache(Clock clock, VersionReader versions, long refreshMillis) {
        this.clock = clock;
        this.versions = versions;
        this.refreshMillis = refreshMillis;
    }

    void setRefreshMillis(long refreshMillis) {
        this.refreshMillis = refreshMillis;
    }

    Optional<UserStore.Credential> get(String consumerKey, Loader loader) throws SQLException {
        verify();
        Map<String, Optional<UserStore.Credential>> map = entries;
        Optional<UserStore.Credential> found = map.get(consumerKey);
        if (found == null) {
            found = loader.load(consumerKey);
            if (map.size() >= MAX_ENTRIES) {
                startOver(map);
            } else {
                map.put(consumerKey, found);
            }
        }
        return found;
    }

    /** Forgets everything: what this process calls after its own change of keys or users. */
    void invalidate() {
        entries = new ConcurrentHashMap<>();
    }

    private synchronized void startOver(Map<String, Optional<UserStore.Credential>> full) {
        if (entries == full) {
            entries = new ConcurrentHashMap<>();
        }
    }

    /** Reads the version when the last reading is older than the interval; a change drops the cache. */
    private void verify() throws SQLException {
        if (verified && clock.millis() - verifiedAt < refreshMillis) {
            return;
        }
        synchronized (this) {
            long now = clock.millis();
            if (verified && now - verifiedAt < refreshMillis) {
                return;
            }
            long current = versions.read();
            if (!verified || current != version) {
                entries = new ConcurrentHashMap<>();
                version = current;
            }
            verifiedAt = now;
            verified = true;
        }
    }
}
