package io.metalforge.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.codec.digest.DigestUtils;

/**
 * The OAuth nonces used within the accepted timestamp window, in memory, with a bound on their number. A used nonce
 * is kept as a 64-bit fingerprint of (consumer key, token key, nonce, timestamp) in the bucket of its timestamp
 * ({@value #BUCKET_SECONDS} s each); a bucket is forgotten once no timestamp in it can pass the window any more.
 * <p>
 * When the bound is reached, room is made without ever accepting a nonce twice: first the oldest bucket before the
 * current one is dropped, and from then on every timestamp at or before that bucket's end is refused as too old (the
 * <em>floor</em>); with none left, the bucket furthest in the future is dropped and marked lost, and its timestamps
 * are refused until they expire. The bucket of the current time is never dropped, so a client whose clock is right
 * is never refused; when it alone fills the bound, further nonces are refused as "busy" until time moves on.
 * Thread-safe (one lock: an operation is a hash probe or two).
 */
final class NonceMemory {

    static final int BUCKET_SECONDS = 10;

    /** What {@link #use} decided. */
    enum Verdict {
        /** First use; remembered. */
        FRESH,
        /** Used before. */
        REPLAY,
        /** At or before the floor: its bucket was dropped for room. */
        TOO_OLD,
        /** In a future bucket dropped for room. */
        LOST,
        /** The current bucket alone fills the bound. */
        BUSY
    }

    /** One bucket's fingerprints, for writing them down. */
    record Bucket(long index, long[] fingerprints) {
    }

    private final long windowSeconds;
    private final TreeMap<Long, FingerprintSet> buckets = new TreeMap<>();
    private final TreeSet<Long> lost = new TreeSet<>();
    private long maxEntries;
    private long size;
    private long floor = Long.MIN_VALUE;

    /**
     * @param windowSeconds how old an accepted timestamp may be
     * @param maxEntries    most fingerprints held at once (at least 1)
     */
    NonceMemory(long windowSeconds, long maxEntries) {
        this.windowSeconds = windowSeconds;
        setMaxEntries(maxEntries);
    }

    synchronized void setMaxEntries(long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the nonce memory holds at least one entry: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** A strong 64-bit fingerprint of one use of a nonce (SHA-256's first 8 bytes). */
    static long fingerprint(String consumerKey, String tokenKey, String nonce, long timestamp) {
        byte[] d = DigestUtils.sha256((consumerKey + '\n' + tokenKey + '\n' + timestamp + '\n' + nonce)
                .getBytes(StandardCharsets.UTF_8));
        long f = 0;
        for (int i = 0; i < 8; i++) {
            f = f << 8 | (d[i] & 0xff);
        }
        return f;
    }

    /**
     * Records one use of a nonce. The caller has checked that {@code timestamp} is within the accepted window
     * around {@code now}.
     */
    synchronized Verdict use(long fingerprint, long timestamp, long now) {
        expire(now);
        if (timestamp <= floor) {
            return Verdict.TOO_OLD;
        }
        long b = bucketOf(timestamp);
        if (lost.contains(b)) {
            return Verdict.LOST;
        }
        FingerprintSet set = buckets.get(b);
        if (set != null && set.contains(fingerprint)) {
            return Verdict.REPLAY;
        }
        while (size >= maxEntries) {
            Verdict refused = makeRoom(b, now);
            if (refused != null) {
                return refused;
            }
        }
        if (set == null) { // makeRoom never drops bucket b without refusing its nonce
            set = new FingerprintSet();
            buckets.put(b, set);
        }
        set.add(fingerprint);
        size++;
        return Verdict.FRESH;
    }

    /** Drops one bucket; the verdict for the nonce of bucket {@code b} when that refuses it, else null. */
    private Verdict makeRoom(long b, long now) {
        long current = bucketOf(now);
        long oldest = Math.min(b, buckets.firstKey());
        if (oldest < current) {
            drop(oldest);
            floor = Math.max(floor, end(oldest));
            return b <= oldest ? Verdict.TOO_OLD : null;
        }
        long newest = Math.max(b, buckets.lastKey());
        if (newest > current) {
            drop(newest);
            lost.add(newest);
            return b == newest ? Verdict.LOST : null;
        }
        return Verdict.BUSY;
    }

    private void drop(long index) {
        FingerprintSet set = buckets.remove(index);
        if (set != null) {
            size -= set.size();
        }
    }

    private static long end(long index) {
        return index * BUCKET_SECONDS + BUCKET_SECONDS - 1;
    }

    /** Forgets the buckets none of whose timestamps can pass the window any more. */
    private void expire(long now) {
        long oldestAccepted = now - windowSeconds;
        for (Iterator<Map.Entry<Long, FingerprintSet>> it = buckets.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, FingerprintSet> e = it.next();
            if (end(e.getKey()) >= oldestAccepted) {
                break;
            }
            size -= e.getValue().size();
            it.remove();
        }
        while (!lost.isEmpty() && end(lost.first()) < oldestAccepted) {
            lost.pollFirst();
        }
    }

    synchronized long size() {
        return size;
    }

    /** Timestamps at or before this are refused; {@link Long#MIN_VALUE} while nothing was dropped. */
    synchronized long floor() {
        return floor;
    }

    // ---- writing down at shutdown and reading back at start

    synchronized List<Bucket> buckets(long now) {
        expire(now);
        List<Bucket> out = new ArrayList<>();
        buckets.forEach((index, set) -> out.add(new Bucket(index, set.toArray())));
        return out;
    }

    synchronized List<Long> lostBuckets(long now) {
        expire(now);
        return List.copyOf(lost);
    }

    /** Adds fingerprints read back (beyond the bound if need be: the next use makes room). */
    synchronized void restore(long index, long[] fingerprints) {
        FingerprintSet set = buckets.computeIfAbsent(index, i -> new FingerprintSet());
        for (long f : fingerprints) {
            if (set.add(f)) {
                size++;
            }
        }
    }

    /** Refuses every timestamp at or before {@code second}. */
    synchronized void raiseFloor(long second) {
        floor = Math.max(floor, second);
    }

    static long bucketOf(long second) {
        return Math.floorDiv(second, BUCKET_SECONDS);
    }

    /** Refuses every timestamp of bucket {@code index} until it expires. */
    synchronized void markLost(long index) {
        drop(index);
        lost.add(index);
    }
}
