package io.metalforge.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A burst of broken connections gives one line, then one per interval counting the rest. */
class BrokenConnectionLogTest {

    @Test
    void oneLinePerIntervalWithoutStackTraces() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(1_000_000);
        BrokenConnectionLog log = new BrokenConnectionLog(lines::add, now::get);
        SQLException full = new SQLException("IO Exception: \"No space left on device\"\nmore detail", "90028", 90028);
        for (int i = 0; i < 1000; i++) {
            log.broken(full);
        }
        assertEquals(List.of("Database connection dropped after a failure (SQL state 90028, code 90028): IO Exception: "
                + "\"No space left on device\""), lines);
        now.addAndGet(BrokenConnectionLog.INTERVAL_MILLIS);
        log.broken(full);
        assertEquals(2, lines.size());
        assertEquals("Database connection dropped after a failure (SQL state 90028, code 90028): IO Exception: "
                + "\"No space left on device\" (999 more since the last report)", lines.get(1));
    }
}
