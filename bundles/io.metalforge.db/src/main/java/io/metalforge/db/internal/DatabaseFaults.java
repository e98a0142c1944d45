package io.metalforge.db.internal;

import java.sql.SQLException;

/** What a database failure means for the pool: a full disk, or a database that closed itself. */
final class DatabaseFaults {

    /** H2: "The database has been closed", "Database is already closed", "File corrupted" after a failed write. */
    private static final int[] H2_CLOSED = { 90098, 90121, 90030, 90028 };

    private DatabaseFaults() {
    }

    /** Whether a failure, anywhere in its causes, is a full disk. */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** H2 answered a new session with "The database has been closed": the failed database is still closing. */
    static boolean stillClosing(SQLException e) {
        return e.getErrorCode() == 90098;
    }

    /** Whether the connection that reported {@code e} can no longer be used. */
    static boolean connectionBroken(SQLException e) {
        for (int code : H2_CLOSED) {
            if (e.getErrorCode() == code) {
                return true;
            }
        }
        String state = e.getSQLState();
        return diskFull(e) || state != null && state.startsWith("08");
    }
}
