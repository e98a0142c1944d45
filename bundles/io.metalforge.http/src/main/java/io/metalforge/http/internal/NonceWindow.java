package io.metalforge.http.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OAuth nonces used per key until they expire, in memory: what spares a database insert per signed request on a
 * single-region (embedded database) installation. Each key holds at most {@link #MAX_PER_KEY} nonces; past that the
 * caller records further nonces in the database, and the key stays "spilled" (every later nonce checked in both)
 * until the last spilled one expired, so a nonce is never accepted twice.
 */
final class NonceWindow {

    static final int MAX_PER_KEY = 50_000;
    private static final long PURGE_EVERY_SECONDS = 10;

    /** What {@link #use} found. */
    enum Verdict {
        /** First use, remembered here. */
        FRESH,
        /** Used before. */
        REPLAY,
        /** Not here; the database must decide (and remember it). */
        ASK_DATABASE
    }

    private static final class KeyWindow {
        final Map<String, Long> expiries = new HashMap<>();
        long spilledUntil = Long.MIN_VALUE;
        long lastPurge;
    }

    private final Map<String, KeyWindow> keys = new ConcurrentHashMap<>();
    private final int maxPerKey;

    NonceWindow() {
        this(MAX_PER_KEY);
    }

    NonceWindow(int maxPerKey) {
        this.maxPerKey = maxPerKey;
    }

    Verdict use(String consumerKey, String tokenKey, String nonce, long expires, long now) {
        KeyWindow w = keys.computeIfAbsent(consumerKey + ':' + tokenKey, k -> new KeyWindow());
        synchronized (w) {
            if (now - w.lastPurge >= PURGE_EVERY_SECONDS) {
                w.lastPurge = now;
                for (Iterator<Long> it = w.expiries.values().iterator(); it.hasNext();) {
                    if (it.next() < now) {
                        it.remove();
                    }
                }
            }
            Long known = w.expiries.get(nonce);
            if (known != null && known >= now) {
                return Verdict.REPLAY;
            }
            if (w.expiries.size() >= maxPerKey) {
                w.spilledUntil = Math.max(w.spilledUntil, expires);
                return Verdict.ASK_DATABASE;
            }
            w.expiries.put(nonce, expires);
            // while spilled, the database may hold this nonce from before: it must agree too
            return w.spilledUntil >= now ? Verdict.ASK_DATABASE : Verdict.FRESH;
        }
    }

    /** Remembers a nonce found in the database at start (no spill accounting). */
    void remember(String consumerKey, String tokenKey, String nonce, long expires) {
        KeyWindow w = keys.computeIfAbsent(consumerKey + ':' + tokenKey, k -> new KeyWindow());
        synchronized (w) {
            if (w.expiries.size() < maxPerKey) {
                w.expiries.put(nonce, expires);
            } else {
                w.spilledUntil = Math.max(w.spilledUntil, expires);
            }
        }
    }

    /** Every unexpired nonce held here, for writing to the database at shutdown. */
    void forEach(long now, NonceConsumer consumer) {
        keys.forEach((key, w) -> {
            int colon = key.indexOf(':');
            synchronized (w) {
                w.expiries.forEach((nonce, expires) -> {
                    if (expires >= now) {
                        consumer.accept(key.substring(0, colon), key.substring(colon + 1), nonce, expires);
                    }
                });
            }
        });
    }

    @FunctionalInterface
    interface NonceConsumer {
        void accept(String consumerKey, String tokenKey, String nonce, long expires);
    }
}
