package io.metalforge.db.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.jdbc.DataSourceFactory;

import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.platform.PlatformExecutor;

/**
 * Real databases for the tests of every bundle that persists: the embedded H2 file database as the appliance opens
 * it, or PostgreSQL. Shared through this module's test jar.
 */
public final class TestDatabases {

    /** The embedded database's disk reserve in tests: small, so a test can fill a small file system. */
    public static final long RESERVE_BYTES = 2L * 1024 * 1024;

    private TestDatabases() {
    }

    public static DatabaseService h2(Path data) {
        return open(data, "", "", "", null);
    }

    /** The embedded database as the component makes it, with {@code executor} as its platform executor. */
    static DatabaseService h2(Path data, PlatformExecutor executor) {
        return open(data, "", "", "", executor);
    }

    /** PostgreSQL when METALFORGE_TEST_PG_URL is set (see .ci/start-postgres.sh). */
    public static Optional<DatabaseService> postgres(Path data) {
        return setting("METALFORGE_TEST_PG_URL").map(url -> open(data, url,
                setting("METALFORGE_TEST_PG_USER").orElse("postgres"),
                setting("METALFORGE_TEST_PG_PASSWORD").orElse(""), null));
    }

    /** The kinds of database a test runs on, for {@code @MethodSource}: "h2" and "postgresql". */
    public static java.util.stream.Stream<String> kinds() {
        return java.util.stream.Stream.of("h2", "postgresql");
    }

    /** The database of {@code kind} (see {@link #kinds}); a PostgreSQL test is skipped when none is configured. */
    public static DatabaseService byKind(String kind, Path data) {
        if (kind.equals("h2")) {
            return h2(data);
        }
        Optional<DatabaseService> pg = postgres(data);
        org.junit.jupiter.api.Assumptions.assumeTrue(pg.isPresent(),
                "METALFORGE_TEST_PG_URL not set: start one with .ci/start-postgres.sh");
        return pg.get();
    }

    /**
     * Gives {@code db} the DataSourceFactory services the H2 and PostgreSQL bundles register in the platform (the
     * drivers' own implementations, registered here by hand since tests run without a framework).
     */
    public static DatabaseService withDrivers(DatabaseService db) {
        db.addDriver(new org.h2.util.OsgiDataSourceFactory(new org.h2.Driver()),
                Map.of(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS, "org.h2.Driver"));
        db.addDriver(new org.postgresql.osgi.PGDataSourceFactory(),
                Map.of(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS, "org.postgresql.Driver"));
        return db;
    }

    public static Optional<String> setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static DatabaseService open(Path data, String url, String user, String password,
            PlatformExecutor executor) {
        PlatformDirectories dirs = new PlatformDirectories() {
            @Override
            public Path data() {
                return data;
            }

            @Override
            public Path deploy() {
                return data.resolve("deploy");
            }
        };
        DatabaseConfiguration config = new DatabaseConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DatabaseConfiguration.class;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public String user() {
                return user;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public int pool__size() {
                return 8;
            }

            @Override
            public long reserve__bytes() {
                return RESERVE_BYTES;
            }
        };
        return withDrivers(new DatabaseService(dirs, null, config, executor));
    }
}
