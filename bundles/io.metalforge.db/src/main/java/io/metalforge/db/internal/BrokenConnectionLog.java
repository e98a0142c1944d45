package io.metalforge.db.internal;

import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One line, without a stack trace, when the pool drops a connection it found broken, and at most one per interval:
 * a full disk or a stopped database breaks every connection at once, and each borrower would report it again. The
 * lines left out are counted in the next one. (HikariCP's own report of the same event, a warning with the whole
 * stack trace per connection, is switched off in the distribution's logging settings.)
 */
final class BrokenConnectionLog {

    static final long INTERVAL_MILLIS = 10_000;

    private final Consumer<String> warn;
    private final LongSupplier millis;
    private long lastLogged = Long.MIN_VALUE;
    private int skipped;

    BrokenConnectionLog(Consumer<String> warn, LongSupplier millis) {
        this.warn = warn;
        this.millis = millis;
    }

    /** Reports a failure that broke a connection. */
    void broken(SQLException e) {
        String line;
        synchronized (this) {
            long now = millis.getAsLong();
            if (lastLogged != Long.MIN_VALUE && now - lastLogged < INTERVAL_MILLIS) {
                skipped++;
                return;
            }
            line = "Database connection dropped after a failure (SQL state " + e.getSQLState() + ", code "
                    + e.getErrorCode() + "): " + firstLine(e.getMessage())
                    + (skipped > 0 ? " (" + skipped + " more since the last report)" : "");
            lastLogged = now;
            skipped = 0;
        }
        warn.accept(line);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
