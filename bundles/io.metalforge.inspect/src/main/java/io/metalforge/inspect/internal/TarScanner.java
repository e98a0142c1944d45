package io.metalforge.inspect.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads tar headers (ustar, GNU long names and sparse files, PAX) from a stream, one entry at a time, skipping
 * content nobody asked for. Written here rather than taken from a library so that every client-controlled size
 * (extended headers, path lengths and depths, entry count) is checked before anything is buffered.
 */
final class TarScanner {

    static final int BLOCK = 512;

    /**
     * One archive member. Types: '0' file, '1' hard link, '2' symlink, '3'/'4' devices, '5' directory, ...
     * {@code path} is normalised (no "./" or "/" in front, no "/" at the end); {@code name} is as stored.
     */
    record Entry(String path, char type, long size, String linkTarget, String name) {
        boolean isFile() {
            return type == '0' || type == '\0' || type == '7' || type == 'S';
        }
    }

    private final InputStream in;
    private final Limits limits;
    private final byte[] header = new byte[BLOCK];
    private final byte[] scratch = new byte[64 * 1024];
    private long remaining;
    private long padding;
    private long entries;

    TarScanner(InputStream in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    long entries() {
        return entries;
    }

    /** Whether {@code b[off..]} holds a tar header with a valid checksum. */
    static boolean isHeader(byte[] b, int off, int len) {
        if (len - off < BLOCK) {
            return false;
        }
        boolean zero = true;
        for (int i = 0; i < BLOCK; i++) {
            if (b[off + i] != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return false;
        }
        long stored;
        try {
            stored = parseNumber(b, off + 148, 8);
        } catch (CorruptImageException e) {
            return false;
        }
        return stored == checksum(b, off);
    }

    /** The next entry, or null at the end of the archive. Skips what is left of the previous entry's content. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        String longLink = null;
        String paxPath = null;
        String paxLink = null;
        long paxSize = -1;
        long headerBytes = 0;
        while (true) {
            if (!readBlock(header)) {
                return null;
            }
            if (isZero(header)) {
                return null;
            }
            if (checksum(header, 0) != parseNumber(header, 148, 8)) {
                throw new CorruptImageException("tar header checksum mismatch after " + entries + " entries");
            }
            char type = (char) header[156];
            long size = parseNumber(header, 124, 12);
            if (size < 0) {
                throw new CorruptImageException("negative tar entry size");
            }
            if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
                headerBytes += size;
                if (size > limits.maxHeaderBytes() || headerBytes > limits.maxHeaderBytes()) {
                    throw new LimitExceededException("tar extended header of " + size + " bytes exceeds the limit of "
                            + limits.maxHeaderBytes() + " bytes");
                }
                byte[] data = readData((int) size);
                switch (type) {
                    case 'L' -> longName = cString(data, 0, data.length);
                    case 'K' -> longLink = cString(data, 0, data.length);
                    case 'x' -> {
                        Pax pax = Pax.parse(data);
                        paxPath = pax.path == null ? paxPath : pax.path;
                        paxLink = pax.linkpath == null ? paxLink : pax.linkpath;
                        paxSize = pax.size >= 0 ? pax.size : paxSize;
                    }
                    default -> {
                        // global PAX headers only carry defaults we do not need
                    }
                }
                continue;
            }
            entries++;
            if (entries > limits.maxEntries()) {
                throw new LimitExceededException("more than " + limits.maxEntries() + " tar entries");
            }
            if (type == 'S' && header[482] != 0) {
                skipSparseExtensions(headerBytes);
            }
            String path = paxPath != null ? paxPath : longName != null ? longName : ustarName(header);
            String link = paxLink != null ? paxLink : longLink != null ? longLink : cString(header, 157, 100);
            checkPath(path);
            long dataSize = paxSize >= 0 ? paxSize : size;
            if (type == '2' || type == '3' || type == '4' || type == '5' || type == '6') {
                dataSize = 0; // symlinks, devices, directories and fifos carry no content
            }
            remaining = dataSize;
            padding = (BLOCK - dataSize % BLOCK) % BLOCK;
            return new Entry(normalise(path), type, dataSize, link, path);
        }
    }

    /** Reads up to {@code max} bytes of the current entry's content (for small files such as os-release). */
    byte[] readContent(int max) throws IOException {
        int n = (int) Math.min(max, remaining);
        byte[] data = new byte[n];
        readFully(data, 0, n);
        remaining -= n;
        return data;
    }

    /** The current entry's content as a stream (for a disk image inside the tar). */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar entry content ends early");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private void checkPath(String path) throws LimitExceededException {
        if (path.length() > limits.maxPathLength()) {
            throw new LimitExceededException("tar entry path of " + path.length() + " characters exceeds the limit of "
                    + limits.maxPathLength());
        }
        int depth = 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        if (depth > limits.maxPathDepth()) {
            throw new LimitExceededException(
                    "tar entry path " + depth + " levels deep exceeds the limit of " + limits.maxPathDepth());
        }
    }

    private void skipSparseExtensions(long headerBytes) throws IOException {
        byte[] block = new byte[BLOCK];
        do {
            headerBytes += BLOCK;
            if (headerBytes > limits.maxHeaderBytes()) {
                throw new LimitExceededException("tar sparse map exceeds the limit of " + limits.maxHeaderBytes()
                        + " bytes");
            }
            if (!readBlock(block)) {
                throw new EOFException("tar sparse header ends early");
            }
        } while (block[504] != 0);
    }

    private byte[] readData(int size) throws IOException {
        byte[] data = new byte[size];
        readFully(data, 0, size);
        skip((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    private boolean readBlock(byte[] block) throws IOException {
        int got = 0;
        while (got < BLOCK) {
            int n = in.read(block, got, BLOCK - got);
            if (n < 0) {
                if (got == 0) {
                    return false;
                }
                throw new EOFException("tar header cut short");
            }
            got += n;
        }
        return true;
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new EOFException("tar archive ends in the middle of an entry");
            }
            off += n;
            len -= n;
        }
    }

    /** Skips by reading: decompressors' own skip() works in tiny steps. */
    private void skip(long n) throws IOException {
        while (n > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
            if (r < 0) {
                throw new EOFException("tar archive ends in the middle of an entry");
            }
            n -= r;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long checksum(byte[] b, int off) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (b[off + i] & 0xFF);
        }
        return sum;
    }

    /** Octal (NUL/space padded) or GNU base-256. */
    static long parseNumber(byte[] b, int off, int len) throws CorruptImageException {
        if ((b[off] & 0x80) != 0) {
            if ((b[off] & 0x40) != 0) {
                throw new CorruptImageException("negative number in tar header");
            }
            long value = b[off] & 0x3F;
            for (int i = 1; i < len; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw new CorruptImageException("number too large in tar header");
                }
                value = value << 8 | (b[off + i] & 0xFF);
            }
            return value;
        }
        long value = 0;
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == 0)) {
            i++;
        }
        boolean digits = false;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                break;
            }
            if (c < '0' || c > '7') {
                throw new CorruptImageException("bad octal digit in tar header");
            }
            value = (value << 3) + (c - '0');
            digits = true;
        }
        return digits ? value : 0;
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        // the prefix field exists only in POSIX ustar (GNU uses those bytes for times)
        if (ustar && h[262] == 0) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** "./etc/os-release", "/etc/os-release" and "etc/os-release/" all become "etc/os-release". */
    static String normalise(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The PAX keys we use. */
    private static final class Pax {
        String path;
        String linkpath;
        long size = -1;

        static Pax parse(byte[] data) throws CorruptImageException {
            Pax pax = new Pax();
            int pos = 0;
            while (pos < data.length) {
                int space = pos;
                while (space < data.length && data[space] != ' ') {
                    space++;
                }
                int length;
                try {
                    length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new CorruptImageException("bad PAX record length");
                }
                if (length <= 0 || pos + length > data.length || space >= pos + length) {
                    throw new CorruptImageException("bad PAX record length");
                }
                String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
                int eq = record.indexOf('=');
                if (eq > 0) {
                    String key = record.substring(0, eq);
                    String value = record.substring(eq + 1);
                    switch (key) {
                        case "path" -> pax.path = value;
                        case "linkpath" -> pax.linkpath = value;
                        case "size" -> {
                            try {
                                pax.size = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                throw new CorruptImageException("bad PAX size");
                            }
                        }
                        default -> {
                            // other keys (times, owners, xattrs) do not matter here
                        }
                    }
                }
                pos += length;
            }
            return pax;
        }
    }
}
