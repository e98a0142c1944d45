package io.metalforge.api.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's database. Image bytes never go here, only metadata.
 */
@ProviderType
public interface Database {

    /** "h2" for the embedded default, "postgresql" otherwise. */
    String kind();

    /** A pooled connection in auto-commit mode; the caller closes it. */
    Connection connection() throws SQLException;

    /**
     * Applies the migrations of {@code owner} that are not applied yet, in version order, each in its own
     * transaction, and records them. Safe to call at every start and from several regions at once.
     *
     * @throws SQLException when a migration fails; the failed one is rolled back and not recorded
     */
    void migrate(String owner, List<Migration> migrations) throws SQLException;

    /**
     * Whether this start created the database: an embedded one whose file did not exist yet, so it holds nothing
     * (no users, no images). Answered at once, without waiting for the database to open. False for PostgreSQL, which
     * another region or an earlier installation may have filled.
     *
     * @since 1.1
     */
    default boolean createdByThisStart() {
        return false;
    }
}
