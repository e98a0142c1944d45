package io.metalforge.db.internal;

import java.util.Objects;

/**
 * Resolved connection settings. {@link #toString()} never shows the password, so settings can be logged.
 *
 * @param url      JDBC URL
 * @param user     user name
 * @param password password, may be empty
 * @param poolSize most connections open at once
 */
public record JdbcSettings(String url, String user, String password, int poolSize) {

    public JdbcSettings {
        Objects.requireNonNull(url, "url");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
    }

    /** "h2" or "postgresql"; anything else is refused. */
    public String kind() {
        if (url.startsWith("jdbc:h2:")) {
            return "h2";
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return "postgresql";
        }
        throw new IllegalArgumentException("Unsupported database URL (expected jdbc:h2: or jdbc:postgresql:): "
                + url.replaceAll("password=[^&;]*", "password=***"));
    }

    @Override
    public String toString() {
        return "JdbcSettings[url=" + url.replaceAll("password=[^&;]*", "password=***") + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "***") + ", poolSize=" + poolSize + "]";
    }
}
