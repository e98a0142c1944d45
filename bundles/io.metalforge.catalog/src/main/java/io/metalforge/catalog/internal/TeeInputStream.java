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

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            session.feed(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // skipping would hide bytes from the doctor
    }
}
