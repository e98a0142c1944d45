package io.metalforge.api.inspect;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The first bytes of a stream, kept as they are read so the whole stream can be read again from its start: what a
 * format check ({@link ImageDoctor#checkDeclaredFormat(String, InputStream)}) read, then the rest, as
 * {@link #replay()}. The bytes are kept in pieces of {@value #PIECE} bytes, each far under half a G1 region, however
 * much the check reads. {@link #stream()} ends after {@link ImageDoctor#HEAD_BYTES} bytes (or the limit given),
 * as an array of the first bytes would.
 */
public final class ImageHead {

    /** The size of each piece the head is kept in. */
    public static final int PIECE = 64 * 1024;

    private final InputStream content;
    private final List<byte[]> pieces = new ArrayList<>();
    private final byte[] one = new byte[1];
    private final long limit;
    private int kept;
    private boolean replayed;

    /** The head of {@code content}, up to {@link ImageDoctor#HEAD_BYTES}. */
    public ImageHead(InputStream content) {
        this(content, ImageDoctor.HEAD_BYTES);
    }

    /** The head of {@code content}, up to {@link ImageDoctor#HEAD_BYTES} or {@code limit} bytes if fewer. */
    public ImageHead(InputStream content, long limit) {
        this.content = content;
        this.limit = Math.max(0, Math.min(limit, ImageDoctor.HEAD_BYTES));
    }

    /** The stream to check: {@code content}, keeping what is read of it. */
    public InputStream stream() {
        return new FilterInputStream(content) {
            @Override
            public int read() throws IOException {
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (replayed) {
                    throw new IllegalStateException("the head was replayed");
                }
                long room = limit - kept;
                if (room == 0) {
                    return len == 0 ? 0 : -1;
                }
                int n = in.read(b, off, (int) Math.min(len, room));
                if (n > 0) {
                    keep(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] skipped = new byte[(int) Math.min(n, PIECE)];
                int got = read(skipped, 0, skipped.length);
                return Math.max(got, 0);
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            @Override
            public void close() {
                // the content is the caller's, and is replayed
            }
        };
    }

    private void keep(byte[] b, int off, int n) {
        while (n > 0) {
            int used = kept % PIECE;
            if (used == 0) {
                pieces.add(new byte[PIECE]);
            }
            int step = Math.min(n, PIECE - used);
            System.arraycopy(b, off, pieces.get(pieces.size() - 1), used, step);
            kept += step;
            off += step;
            n -= step;
        }
    }

    /** How many bytes were read, and are kept. */
    public int length() {
        return kept;
    }

    /** The whole content from its first byte: the kept bytes, then what was not read. */
    public InputStream replay() {
        replayed = true;
        List<InputStream> parts = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            int length = Math.min(PIECE, kept - i * PIECE);
            parts.add(new ByteArrayInputStream(pieces.get(i), 0, length));
        }
        parts.add(content);
        return new SequenceInputStream(Collections.enumeration(parts));
    }
}
