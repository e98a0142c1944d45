package io.metalforge.http.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.metalforge.api.http.ApiException;

/**
 * Turns what went wrong in a request into the answer a user understands: a client that did not deliver its body
 * gets 400, 408 or 413; a full disk gets 507; everything else is a bug, answered 500 with an id that is also in the
 * one log line written for it. Expected client faults are logged at most once per client address per
 * {@link #QUIET_MILLIS}, without stack traces, so a hostile client cannot flood the log.
 */
final class FaultAnswers {

    static final long QUIET_MILLIS = 10_000;
    private static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final SecureRandom IDS = new SecureRandom();

    private final Consumer<String> info;
    private final Consumer<String> warn;
    private final Consumer<String> error;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    FaultAnswers(Consumer<String> info, Consumer<String> warn, Consumer<String> error) {
        this.info = info;
        this.warn = warn;
        this.error = error;
    }

    /** The 4xx for a body the client failed to deliver. */
    static ApiException answer(RequestBody.Fault fault, long limit, String what) {
        return switch (fault) {
        case TOO_LARGE -> new ApiException(413, what + " is larger than " + limit + " bytes.");
        case TOO_SLOW -> new ApiException(408, "The request body arrived too slowly and was abandoned; send it "
                + "again on a working connection.");
        case ENDED_EARLY -> ApiException.badRequest("The request body ended before it was complete (the client "
                + "closed the connection or stopped sending); nothing of it was kept.");
        case NOT_AUTHENTICATED -> new ApiException(401, "Authorization Required");
        };
    }

    /** Whether a failure, anywhere in its causes, is a full disk. */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.toLowerCase(Locale.ROOT).contains("not enough space"))) {
                return true;
            }
            if (t.getClass().getSimpleName().equals("InsufficientSpaceException")) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90100) {
                return true; // H2: "file write failed" when the disk is full
            }
        }
        return false;
    }

    static ApiException diskFullAnswer() {
        return new ApiException(507, "No space left on device: the server's disk is full. Nothing of this "
                + "request was kept; try again once an operator has freed space.");
    }

    /**
     * The answer for anything a request ended with: the handler's own {@link ApiException} when it is a client
     * error; for a client that did not deliver its body (whatever the handler made of that) the matching 4xx; 507
     * for a full disk; otherwise a bug, logged once with an id. Client faults are logged rate-limited.
     */
    ApiException toAnswer(Throwable e, RequestBody body, String what, String method, String uri, String client) {
        if (e instanceof ApiException api && api.status() != 500) {
            if (api.status() == 401) {
                clientFault(client, "Refused " + method + " " + uri + ": " + api.getMessage());
            }
            return api;
        }
        RequestBody.Fault fault = e instanceof RequestBody.ClientFault cf ? cf.fault
                : body == null ? null : body.fault();
        if (fault != null) {
            ApiException answer = answer(fault, body == null ? 0 : body.limit(), what);
            clientFault(client, "Client fault in " + method + " " + uri + ": " + answer.status() + " "
                    + fault.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            return answer;
        }
        if (diskFull(e)) {
            clientFault("disk", "Refused " + method + " " + uri + ": 507 no space left on device");
            return diskFullAnswer();
        }
        if (databaseUnavailable(e)) {
            clientFault("database", "Refused " + method + " " + uri + ": 503 database unavailable");
            return new ApiException(503, "The database is unavailable for the moment; "
                    + "retry shortly.");
        }
        return bug(method, uri, e);
    }

    /** A connection failure, or H2 closed after a failed write: not a bug, and it heals by itself. */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                int code = sql.getErrorCode();
                if (state != null && state.startsWith("08") || code == 90098 || code == 90121) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A warning for the operator (not about one client). */
    void warn(String line) {
        warn.accept(line);
    }

    /** Logs an expected client fault, once per address per quiet period. */
    void clientFault(String address, String line) {
        long now = System.currentTimeMillis();
        if (lastLogged.size() > MAX_TRACKED_ADDRESSES) {
            lastLogged.clear();
        }
        Long previous = lastLogged.get(address);
        if (previous != null && now - previous < QUIET_MILLIS) {
            return;
        }
        lastLogged.put(address, now);
        info.accept(line + " (client " + address + "; more from this address within " + QUIET_MILLIS / 1000
                + " s are not logged)");
    }

    /** Logs a bug in one line and returns the 500 that names the same id. */
    ApiException bug(String method, String uri, Throwable e) {
        String id = HexFormat.of().formatHex(randomId());
        error.accept("Internal error " + id + " in " + method + " " + uri + ": " + e.getClass().getName()
                + where(e));
        return new ApiException(500, "Internal server error (id " + id + "); the operator's log has the details.");
    }

    private static byte[] randomId() {
        byte[] b = new byte[6];
        IDS.nextBytes(b);
        return b;
    }

    /** The innermost cause's class and first frame: enough to find the bug, no message that may quote data. */
    private static String where(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StringBuilder s = new StringBuilder();
        if (root != e) {
            s.append(" caused by ").append(root.getClass().getName());
        }
        StackTraceElement[] frames = root.getStackTrace();
        if (frames.length > 0) {
            s.append(" at ").append(frames[0]);
        }
        return s.toString();
    }
}
