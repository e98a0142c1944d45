package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.metalforge.api.db.Database;
import io.metalforge.api.db.Migration;
import io.metalforge.api.platform.PlatformConsole;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/** The first start's hint, from a real embedded database: a new one is not asked, an existing one is. */
class AdminHintTest {

    @TempDir
    Path data;

    private final List<String> printed = new ArrayList<>();

    private final PlatformConsole console = new PlatformConsole() {
        @Override
        public void println(String line) {
            printed.add(line);
        }

        @Override
        public void progress(String line) {
        }

        @Override
        public void endProgress() {
        }
    };

    /** The framework's context of a normal start: no admin command line. */
    private static BundleContext normalStart() {
        return (BundleContext) Proxy.newProxyInstance(AdminHintTest.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> null);
    }

    @Test
    void aDatabaseThisStartCreatesGetsTheHintWithoutBeingAsked() throws Exception {
        DatabaseService db = TestDatabases.h2(data);
        try {
            UserStore users = new UserStore(db, Clock.systemUTC());
            // the database as the hint sees it: new, and failing every query it is asked
            Database unasked = new Database() {
                @Override
                public String kind() {
                    return db.kind();
                }

                @Override
                public Connection connection() throws SQLException {
                    throw new SQLException("asked for a connection");
                }

                @Override
                public void migrate(String owner, List<Migration> migrations) throws SQLException {
                    throw new SQLException("asked to migrate");
                }

                @Override
                public boolean createdByThisStart() {
                    return true;
                }
            };
            // closed: a query the hint made through the user store would fail and print another line
            db.close();
            new AdminHint(normalStart(), unasked, users, console).start();
            assertEquals(List.of(AdminHint.HINT), printed);
        } finally {
            db.close();
        }
    }

    @Test
    void anExistingDatabaseIsAskedWhetherItHasAnAdministrator() throws Exception {
        DatabaseService first = TestDatabases.h2(data);
        new UserStore(first, Clock.systemUTC());
        first.close();

        DatabaseService again = TestDatabases.h2(data);
        try {
            UserStore users = new UserStore(again, Clock.systemUTC());
            assertEquals(false, again.createdByThisStart());
            new AdminHint(normalStart(), again, users, console).start();
            assertEquals(List.of(AdminHint.HINT), printed, "no administrator in it yet");

            printed.clear();
            users.createUser("admin", "admin@example.com", true);
            new AdminHint(normalStart(), again, users, console).start();
            assertEquals(List.of(), printed, "an administrator exists");
        } finally {
            again.close();
        }
    }
}
