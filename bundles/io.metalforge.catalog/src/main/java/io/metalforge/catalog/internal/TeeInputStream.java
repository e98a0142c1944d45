package io.metalforge.catalog.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.metalforge.api.inspect.InspectionSession;

/** Hands every byte read through it to the doctor as well: the upload reads its body once. */
final class TeeInputStream extends FilterInputStream {

    private final InspectionSession session;

    TeeInputStream(InputStream in, InspectionSession session) {
        super(in);
        this.session = session;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            session.feed(new byte[] { (byte) b }, 0, 1);
        }
        return b;
    }

    /**
     * Fills {@code len} bytes (fewer only at the end of the stream) before handing them on: the container delivers
     * a request body a few KiB per read, and each feed is a hand-over to the doctor's thread, so feeding whole
     * buffers saves a wake-up per network read.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int filled = 0;
        while (filled < len) {
            int n = super.read(b, off + filled, len - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        if (filled > 0) {
            session.feed(b, off, filled);
        }
        return filled == 0 && len > 0 ? -1 : filled;
    }

    @Override
    public long skip(long n) {
        return 0; // skipping would hide bytes from the doctor
    }
}
