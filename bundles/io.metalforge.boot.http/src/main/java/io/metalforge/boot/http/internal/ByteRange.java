package io.metalforge.boot.http.internal;

import java.util.Optional;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 14.1.2), resolved against the file size. Several ranges
 * are not supported: the whole file is sent instead, as the RFC allows.
 *
 * @param first first byte
 * @param last  last byte, inclusive
 */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    /** Outcome of parsing: no range (send all), a satisfiable range, or unsatisfiable (416). */
    record Parsed(Optional<ByteRange> range, boolean unsatisfiable) {
    }

    static Parsed parse(String header, long size) {
        Parsed all = new Parsed(Optional.empty(), false);
        if (header == null || !header.startsWith("bytes=")) {
            return all;
        }
        String spec = header.substring(6).trim();
        if (spec.contains(",")) {
            return all;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return all;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    return new Parsed(Optional.empty(), true);
                }
                return new Parsed(Optional.of(new ByteRange(Math.max(0, size - n), size - 1)), false);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return all; // syntactically invalid: ignored
            }
            if (first >= size) {
                return new Parsed(Optional.empty(), true);
            }
            return new Parsed(Optional.of(new ByteRange(first, last)), false);
        } catch (NumberFormatException e) {
            return all;
        }
    }
}
