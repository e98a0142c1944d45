package io.metalforge.http.internal;

/**
 * A set of 64-bit fingerprints in one {@code long[]} (open addressing, linear probing): 8 to 32 bytes per entry and
 * no object per entry, where a {@code HashSet<Long>} costs about 60. The fingerprints are SHA-256 prefixes, so their
 * low bits are already uniform and a client cannot aim them at one slot. Not thread-safe.
 */
final class FingerprintSet {

    /** The value that marks a free slot; a fingerprint equal to it is stored as {@link #ZERO_STAND_IN}. */
    private static final long FREE = 0;
    private static final long ZERO_STAND_IN = 1;
    private static final int MIN_CAPACITY = 16;

    private long[] slots = new long[MIN_CAPACITY];
    private int size;

    /** Adds a fingerprint; false when it was there already. */
    boolean add(long fingerprint) {
        long f = fingerprint == FREE ? ZERO_STAND_IN : fingerprint;
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = (int) f & mask;; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == FREE) {
                slots[i] = f;
                size++;
                return true;
            }
            if (s == f) {
                return false;
            }
        }
    }

    boolean contains(long fingerprint) {
        long f = fingerprint == FREE ? ZERO_STAND_IN : fingerprint;
        int mask = slots.length - 1;
        for (int i = (int) f & mask;; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == FREE) {
                return false;
            }
            if (s == f) {
                return true;
            }
        }
    }

    int size() {
        return size;
    }

    /** The fingerprints, in no particular order. */
    long[] toArray() {
        long[] out = new long[size];
        int n = 0;
        for (long s : slots) {
            if (s != FREE) {
                out[n++] = s;
            }
        }
        return out;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long s : old) {
            if (s != FREE) {
                int i = (int) s & mask;
                while (slots[i] != FREE) {
                    i = (i + 1) & mask;
                }
                slots[i] = s;
            }
        }
    }
}
