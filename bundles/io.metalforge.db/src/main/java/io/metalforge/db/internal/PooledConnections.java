package io.metalforge.db.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * The connection pool: HikariCP over connections that {@link Opener} opens. At most {@code size} connections are
 * lent at once; a borrower waits up to the timeout and then gets a clear error. HikariCP rolls back what a returned
 * connection left unfinished and restores auto-commit, validates idle connections before lending them, and evicts a
 * connection whose failure shows it broken: besides its own rules (SQL state 08...), every failure of a lent
 * connection or its statements is shown to the {@link FaultListener} and judged by {@link DatabaseFaults}, since H2
 * answers "The database has been closed" after a failed write on connections that still pass the validity check.
 * <p>
 * No thread is started before the first borrow (HikariCP creates its pool lazily). When opening failed last time, or
 * a connection was found broken, a borrower tries to open once itself and gets the driver's own reason at once,
 * instead of waiting the whole timeout for the pool to give up (a full disk or a stopped PostgreSQL answer in
 * milliseconds, not 30 s).
 */
final class PooledConnections implements AutoCloseable {

    /** Opens a new physical connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    /** Told of every failure of a lent connection or its statements. */
    @FunctionalInterface
    interface FaultListener {
        void failed(SQLException e);
    }

    /** HikariCP's smallest borrow timeout. */
    static final long MIN_TIMEOUT_MILLIS = 250;

    private final HikariDataSource pool = new HikariDataSource();
    private final Opener opener;
    private final long timeoutMillis;
    private volatile boolean openFailing;

    PooledConnections(String name, Opener opener, int size, long timeoutMillis, FaultListener faults) {
        this.opener = opener;
        this.timeoutMillis = Math.max(MIN_TIMEOUT_MILLIS, timeoutMillis);
        pool.setPoolName(name);
        pool.setMaximumPoolSize(size);
        // connections are opened when borrowers need them and then kept: no background thread reopens a database
        // that just failed (while a disk is full it would retry for nothing, and race an operator's repair)
        pool.setMinimumIdle(0);
        pool.setIdleTimeout(0);
        pool.setConnectionTimeout(this.timeoutMillis);
        pool.setInitializationFailTimeout(-1); // a database that is down at start is retried, not fatal
        pool.setDataSource(new OpeningDataSource());
        pool.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                faults.failed(e);
                if (!DatabaseFaults.connectionBroken(e)) {
                    return SQLExceptionOverride.Override.CONTINUE_EVICT;
                }
                // they share the database that failed: the idle ones are closed now, the lent ones when returned;
                // the next borrower first checks that the database opens again
                openFailing = true;
                HikariPoolMXBean state = pool.getHikariPoolMXBean();
                if (state != null) {
                    state.softEvictConnections();
                }
                return SQLExceptionOverride.Override.MUST_EVICT;
            }
        });
    }

    Connection borrow() throws SQLException {
        if (pool.isClosed()) {
            throw new SQLException("The database is closed");
        }
        if (openFailing) {
            probeOpen(); // throws the driver's reason while it still fails
            openFailing = false;
        }
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() instanceof SQLException reason) {
                throw reason; // the pool could not open a connection: the driver says why
            }
            throw new SQLTransientConnectionException("No database connection became free within " + timeoutMillis
                    + " ms", e.getSQLState(), e);
        }
    }

    /**
     * Opens one connection to see whether the database opens again. Right after a failed write H2 may still be
     * closing the failed database, and a session opened meanwhile is told "The database has been closed": that
     * answer is retried for a moment ({@link #CLOSING_GRACE_MILLIS}) before it counts as the reason.
     */
    private void probeOpen() throws SQLException {
        long deadline = System.nanoTime() + CLOSING_GRACE_MILLIS * 1_000_000L;
        while (true) {
            try {
                opener.open().close();
                return;
            } catch (SQLException e) {
                if (!DatabaseFaults.stillClosing(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** How long a database H2 is still closing may answer "has been closed" to a new session. */
    static final long CLOSING_GRACE_MILLIS = 2_000;

    /** Idle physical connections (for tests). */
    int idleCount() {
        HikariPoolMXBean state = pool.getHikariPoolMXBean();
        return state == null ? 0 : state.getIdleConnections();
    }

    @java.lang.Override
    public void close() {
        pool.close();
    }

    /** What HikariCP opens its connections from. */
    private final class OpeningDataSource implements DataSource {
        @java.lang.Override
        public Connection getConnection() throws SQLException {
            try {
                Connection c = opener.open();
                openFailing = false;
                return c;
            } catch (SQLException | RuntimeException e) {
                openFailing = true;
                throw e;
            }
        }

        @java.lang.Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @java.lang.Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @java.lang.Override
        public void setLogWriter(PrintWriter out) {
            // nothing is written
        }

        @java.lang.Override
        public void setLoginTimeout(int seconds) {
            // the drivers' own connect timeouts apply
        }

        /**
         * How long HikariCP's close waits for an open in progress on its adder thread (it waits this many seconds; 0
         * would not wait, and a database file opened after close, e.g. by a failing login, would outlive the pool).
         */
        @java.lang.Override
        public int getLoginTimeout() {
            return (int) Math.max(1, (timeoutMillis + 999) / 1000);
        }

        @java.lang.Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @java.lang.Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @java.lang.Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
