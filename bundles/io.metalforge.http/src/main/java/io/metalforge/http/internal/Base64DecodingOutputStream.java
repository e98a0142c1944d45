package io.metalforge.http.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Decodes base64 written to it (MIME style: line breaks and other whitespace ignored) into {@code out}, so a
 * base64-transfer-encoded part streams through without being held in memory.
 */
final class Base64DecodingOutputStream extends OutputStream {

    private static final int[] VALUES = new int[256];
    static {
        java.util.Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
    }

    private final OutputStream out;
    private final byte[] decoded = new byte[8192];
    private int filled;
    private int quantum;
    private int count;
    private int padding;
    private boolean finished;

    Base64DecodingOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        int c = b & 0xff;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            return;
        }
        if (c == '=') {
            if (count < 2) {
                throw new MalformedBase64Exception();
            }
            padding++;
            count++;
            if (count == 4) {
                flushQuantum();
            }
            return;
        }
        int v = VALUES[c];
        if (v < 0 || padding > 0 || finished) {
            throw new MalformedBase64Exception();
        }
        quantum = (quantum << 6) | v;
        count++;
        if (count == 4) {
            flushQuantum();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void emit(int b) throws IOException {
        if (filled == decoded.length) {
            out.write(decoded, 0, filled);
            filled = 0;
        }
        decoded[filled++] = (byte) b;
    }

    private void flushQuantum() throws IOException {
        int bits = quantum << (6 * padding);
        emit((bits >> 16) & 0xff);
        if (padding < 2) {
            emit((bits >> 8) & 0xff);
        }
        if (padding < 1) {
            emit(bits & 0xff);
        }
        if (padding > 0) {
            finished = true;
        }
        quantum = 0;
        count = 0;
        padding = 0;
    }

    /** Writes an unpadded tail (2 or 3 characters are accepted) and checks the input ended on a boundary. */
    void finish() throws IOException {
        int sextets = count - padding;
        if (sextets == 1) {
            throw new MalformedBase64Exception();
        }
        if (sextets > 1) {
            int bits = quantum << (6 * (4 - sextets));
            emit((bits >> 16) & 0xff);
            if (sextets == 3) {
                emit((bits >> 8) & 0xff);
            }
        }
        count = 0;
        padding = 0;
        quantum = 0;
        out.write(decoded, 0, filled);
        filled = 0;
        out.flush();
    }

    /** Raised for characters outside the base64 alphabet or misplaced padding. */
    static final class MalformedBase64Exception extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedBase64Exception() {
            super("invalid base64");
        }
    }
}
