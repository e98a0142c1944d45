package io.metalforge.boot.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared blob channels: one open per sha256 whatever the number of requests, bounded, and never closed under a
 * request that still sends from it (eviction and stop close it when its last user is done).
 */
class OpenBlobsTest {

    @TempDir
    Path dir;

    private OpenBlobs.Opener opener(String name, AtomicInteger opens) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, name);
        return () -> {
            opens.incrementAndGet();
            return FileChannel.open(file);
        };
    }

    @Test
    void oneChannelPerBlobSharedByConcurrentUses() throws IOException {
        AtomicInteger opens = new AtomicInteger();
        try (OpenBlobs blobs = new OpenBlobs(4)) {
            OpenBlobs.Opener a = opener("a", opens);
            try (OpenBlobs.Lease first = blobs.acquire("a", a); OpenBlobs.Lease second = blobs.acquire("a", a)) {
                assertSame(first.channel(), second.channel());
            }
            try (OpenBlobs.Lease again = blobs.acquire("a", a)) {
                assertTrue(again.channel().isOpen());
            }
            assertEquals(1, opens.get());
        }
    }

    @Test
    void anEvictedChannelStaysOpenUntilItsLastUserIsDone() throws IOException {
        AtomicInteger opens = new AtomicInteger();
        OpenBlobs blobs = new OpenBlobs(1);
        OpenBlobs.Lease inUse = blobs.acquire("a", opener("a", opens));
        FileChannel a = inUse.channel();
        OpenBlobs.Lease b = blobs.acquire("b", opener("b", opens)); // over the limit: "a" is evicted
        assertEquals(1, blobs.size());
        assertTrue(a.isOpen(), "still sending from it");
        inUse.close();
        assertFalse(a.isOpen());
        FileChannel bc = b.channel();
        blobs.close();
        assertTrue(bc.isOpen(), "stop waits for the last user too");
        b.close();
        assertFalse(bc.isOpen());
        assertThrows(IOException.class, () -> blobs.acquire("c", opener("c", opens)));
    }

    @Test
    void aStoreWithoutLocalFilesSharesNothing() throws IOException {
        try (OpenBlobs blobs = new OpenBlobs(4)) {
            assertNull(blobs.acquire("a", () -> null));
            assertEquals(0, blobs.size());
        }
    }
}
