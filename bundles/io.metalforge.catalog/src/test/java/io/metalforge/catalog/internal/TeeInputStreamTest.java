package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;

class TeeInputStreamTest {

    /** Records what the doctor would be given; the doctor itself is tested in the inspect bundle. */
    private static final class RecordingSession implements InspectionSession {
        final ByteArrayOutputStream fed = new ByteArrayOutputStream();
        final List<Integer> feeds = new ArrayList<>();

        @Override
        public void feed(byte[] bytes, int offset, int length) {
            fed.write(bytes, offset, length);
            feeds.add(length);
        }

        @Override
        public Optional<ImageReport> reportIfDone() {
            return Optional.empty();
        }

        @Override
        public ImageReport finish() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aBodyArrivingAFewKiBPerReadReachesTheDoctorInWholeBuffers() throws Exception {
        byte[] data = new byte[1_000_000];
        new Random(5).nextBytes(data);
        // as a servlet container delivers a request body: at most 8 KiB per read
        InputStream body = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 8192));
            }
        };
        RecordingSession session = new RecordingSession();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[256 << 10];
        try (InputStream tee = new TeeInputStream(body, session)) {
            int n;
            while ((n = tee.read(buffer, 0, buffer.length)) > 0) {
                assertEquals(Math.min(buffer.length, data.length - read.size()), n, "each read fills the buffer");
                read.write(buffer, 0, n);
            }
            assertEquals(-1, tee.read(buffer, 0, buffer.length));
        }
        assertArrayEquals(data, read.toByteArray());
        assertArrayEquals(data, session.fed.toByteArray(), "the doctor sees exactly the bytes that were read");
        assertEquals(List.of(262144, 262144, 262144, 213568), session.feeds, "one hand-over per filled buffer");
    }
}
