package io.metalforge.db.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small bounded pool. At most {@code size} connections are lent at once; a borrower waits up to the timeout and
 * then gets a clear error. Closing a lent connection returns it: an open transaction is rolled back and auto-commit
 * restored, so the next borrower always starts clean. A connection that fails its validity check is replaced.
 */
final class ConnectionPool implements AutoCloseable {

    /** Opens a new physical connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    /** Told of every failure of the database (opening, or any call on a lent connection). */
    @FunctionalInterface
    interface FaultListener {
        /** @return whether something was done about it (space freed) so that one retry can succeed */
        boolean failed(SQLException e);
    }

    /** Idle connections older than this are checked before they are lent again. */
    private static final long VALIDATE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Opener opener;
    private final FaultListener faults;
    private final boolean validateOnReturn;
    private final Semaphore permits;
    private final long timeoutMillis;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private volatile boolean closed;

    private record Idle(Connection connection, long since) {
    }

    ConnectionPool(Opener opener, int size, long timeoutMillis) {
        this(opener, size, timeoutMillis, false, e -> false);
    }

    /**
     * @param validateOnReturn check every connection given back (cheap for an embedded database): one that
     *                         failed is dropped with every idle one, so that after the database closed itself
     *                         (H2 does on a failed write, e.g. a full disk) the next borrower opens it again.
     * @param faults           told of each failure; when it freed something, opening is retried once
     */
    ConnectionPool(Opener opener, int size, long timeoutMillis, boolean validateOnReturn, FaultListener faults) {
        this.validateOnReturn = validateOnReturn;
        this.faults = faults;
        this.opener = opener;
        this.permits = new Semaphore(size, true);
        this.timeoutMillis = timeoutMillis;
    }

    Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("The database is closed");
        }
        try {
            if (!permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException(
                        "No database connection became free within " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a database connection", e);
        }
        try {
            Connection physical = takeIdle();
            if (physical == null) {
                physical = openOrRetry();
            }
            physical.setAutoCommit(true);
            return lend(physical);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection openOrRetry() throws SQLException {
        try {
            return opener.open();
        } catch (SQLException e) {
            if (faults.failed(e)) {
                return opener.open();
            }
            throw e;
        }
    }

    /** Number of idle physical connections (for tests). */
    synchronized int idleCount() {
        return idle.size();
    }

    private Connection takeIdle() {
        while (true) {
            Idle candidate;
            synchronized (this) {
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return null;
            }
            if (!validateOnReturn && System.nanoTime() - candidate.since() < VALIDATE_AFTER_NANOS
                    || valid(candidate.connection())) {
                return candidate.connection();
            }
            closeQuietly(candidate.connection());
        }
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void giveBack(Connection physical, boolean broken) {
        try {
            if (broken) {
                closeQuietly(physical);
                dropIdle(); // they share the database that failed
                return;
            }
            if (closed || physical.isClosed()) {
                closeQuietly(physical);
                return;
            }
            if (validateOnReturn && !valid(physical)) {
                closeQuietly(physical);
                dropIdle(); // they share the database that failed
                return;
            }
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
            synchronized (this) {
                idle.addFirst(new Idle(physical, System.nanoTime()));
            }
        } catch (SQLException e) {
            closeQuietly(physical);
        } finally {
            permits.release();
        }
    }

    private Connection lend(Connection physical) {
        return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(),
                new Class<?>[] { Connection.class }, new Lent(physical));
    }

    /**
     * A lent connection. Failures of it and of the statements made from it are reported to the fault listener,
     * and one that shows the connection broken (H2 closed the database after a failed write: its connections stay
     * "valid" but answer "The database has been closed") has it dropped with every idle one when it is returned.
     */
    private final class Lent implements InvocationHandler {
        private final Connection physical;
        private boolean returned;
        private volatile boolean broken;

        Lent(Connection physical) {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
            case "close":
                synchronized (this) {
                    if (!returned) {
                        returned = true;
                        giveBack(physical, broken);
                    }
                }
                return null;
            case "isClosed":
                synchronized (this) {
                    return returned || physical.isClosed();
                }
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "pooled " + physical;
            default:
                synchronized (this) {
                    if (returned) {
                        throw new SQLException("Connection already closed");
                    }
                }
                Object result = call(physical, method, args);
                if (result instanceof Statement statement && method.getReturnType().isInterface()) {
                    return watched(proxy, statement, method.getReturnType());
                }
                return result;
            }
        }

        private Object call(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    faults.failed(sql);
                    broken |= DatabaseFaults.connectionBroken(sql);
                }
                throw e.getCause();
            }
        }

        /** The statement, its failures reported as the connection's; it names the lent connection as its own. */
        private Object watched(Object connection, Statement statement, Class<?> type) {
            return Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(), new Class<?>[] { type },
                    (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> connection;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> call(statement, method, args);
                    });
        }
    }

    @Override
    public void close() {
        closed = true;
        dropIdle();
    }

    private synchronized void dropIdle() {
        for (Idle i : idle) {
            closeQuietly(i.connection());
        }
        idle.clear();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already broken: nothing to give back
        }
    }
}
