package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration delivered to the running database (@Modified): the same settings again keep it (and every
 * component that uses it) running on the same pool; other settings ask for a new component. On the real embedded
 * H2 database; the restart is counted instead of asking DS, which does not run here.
 */
class DatabaseReconfigurationTest {

    @TempDir
    Path data;

    @Test
    void theSameSettingsAgainRestartNothingOtherSettingsRestartTheDatabase() throws Exception {
        AtomicInteger restarts = new AtomicInteger();
        DatabaseService db = new DatabaseService(c -> c.url().isBlank()
                ? DatabaseService.embedded(data.resolve("db"), c.pool__size())
                : new JdbcSettings(c.url(), c.user(), c.password(), c.pool__size()), config("", 4),
                restarts::incrementAndGet);
        try {
            db.modified(config("", 4)); // FileInstall delivering a .cfg that repeats the defaults
            assertEquals(0, restarts.get());
            try (Connection c = db.connection(); ResultSet r = c.createStatement().executeQuery("SELECT 1")) {
                r.next();
                assertEquals(1, r.getInt(1), "still serving on the same pool");
            }
            db.modified(config("", 8));
            assertEquals(1, restarts.get(), "another pool size");
            db.modified(config("jdbc:postgresql://127.0.0.1:5432/metalforge", 4));
            assertEquals(2, restarts.get(), "another database");
        } finally {
            db.close();
        }
    }

    private static DatabaseConfiguration config(String url, int poolSize) {
        return new DatabaseConfiguration() {
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
                return "";
            }

            @Override
            public String password() {
                return "";
            }

            @Override
            public int pool__size() {
                return poolSize;
            }
        };
    }
}
