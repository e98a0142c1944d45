package io.metalforge.store.fs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.store.BlobVerificationException;
import io.metalforge.api.store.InsufficientSpaceException;
import io.metalforge.api.store.ResumableBlobStore.Pin;

class FsBlobStoreTest {

    @TempDir
    Path dir;

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private FsBlobStore store() throws IOException {
        return FsBlobStore.create(dir, 0, 0);
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.list(dir.resolve(".tmp")), Files.list(dir.resolve(".partial")))) {
            return files.toList();
        }
    }

    @Test
    void writesVerifiesAndServesRanges() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(3 * CopyBuffers.SIZE + 17, 1);
        String sha = sha(data);
        store.write(sha, data.length, new ByteArrayInputStream(data));

        assertTrue(store.contains(sha));
        assertEquals(data.length, store.size(sha).orElseThrow());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha)));
        try (InputStream in = store.open(sha, 1000)) {
            byte[] tail = in.readAllBytes();
            assertEquals(data.length - 1000, tail.length);
            assertEquals(data[1000], tail[0]);
            assertEquals(data[data.length - 1], tail[tail.length - 1]);
        }
        assertThrows(IOException.class, () -> store.open(sha, data.length + 1L));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void sameContentIsStoredOnceAndNotReadAgain() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(5000, 2);
        String sha = sha(data);
        store.write(sha, data.length, new ByteArrayInputStream(data));
        InputStream mustNotBeRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a stored blob must not be read again");
            }
        };
        store.write(sha, data.length, mustNotBeRead);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void adoptsAFileOfTheSameFilesystemByRenamingIt(@TempDir Path staging) throws Exception {
        FsBlobStore store = store();
        byte[] data = random(CopyBuffers.SIZE + 5, 3);
        String sha = sha(data);
        Path part = Files.write(staging.resolve(sha + ".part"), data);
        Object inode = Files.getAttribute(part, "unix:ino");

        Path wrongSize = Files.write(staging.resolve("other.part"), data);
        assertThrows(BlobVerificationException.class, () -> store.adopt(sha, data.length + 1L, wrongSize));
        assertTrue(Files.exists(wrongSize), "a file of the wrong size is left where it was");
        assertFalse(store.contains(sha));

        store.adopt(sha, data.length, part);
        assertFalse(Files.exists(part));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha)));
        // the same inode: renamed into the store, its bytes not written a second time
        assertEquals(inode, Files.getAttribute(dir.resolve(sha), "unix:ino"));

        // a second copy of stored content is dropped, the blob kept
        store.adopt(sha, data.length, wrongSize);
        assertFalse(Files.exists(wrongSize));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha)));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void renamesDoneTogetherShareTheFoldersFsync(@TempDir Path staging) throws Exception {
        FsBlobStore store = store();
        byte[] data = random(100, 4);
        store.adopt(sha(data), data.length, Files.write(staging.resolve("one.part"), data));
        assertEquals(1, store.rootSyncs, "a blob stored alone syncs the folder");
        // three renames done before any fsync: the first one's fsync covers the other two
        long first = store.renamed();
        long second = store.renamed();
        long third = store.renamed();
        store.syncRoot(first);
        store.syncRoot(third);
        store.syncRoot(second);
        assertEquals(2, store.rootSyncs);
        // a rename done after the last fsync began is not covered by it
        store.syncRoot(store.renamed());
        assertEquals(3, store.rootSyncs);
    }

    @Test
    void wrongDigestOrShortStreamLeavesNothing() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(10000, 3);
        String other = sha(random(10, 4));
        BlobVerificationException bad = assertThrows(BlobVerificationException.class,
                () -> store.write(other, data.length, new ByteArrayInputStream(data)));
        assertTrue(bad.getMessage().contains("expected " + other), bad.getMessage());
        assertFalse(store.contains(other));

        String sha = sha(data);
        BlobVerificationException shortStream = assertThrows(BlobVerificationException.class,
                () -> store.write(sha, data.length + 10, new ByteArrayInputStream(data)));
        assertTrue(shortStream.getMessage().contains("ended after 10000"), shortStream.getMessage());
        assertFalse(store.contains(sha));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void concurrentWritersOfTheSameAndOfDifferentBlobs() throws Exception {
        FsBlobStore store = store();
        byte[] shared = random(2 * CopyBuffers.SIZE + 5, 5);
        String sharedSha = sha(shared);
        List<byte[]> distinct = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            distinct.add(random(CopyBuffers.SIZE + i, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    store.write(sharedSha, shared.length, new ByteArrayInputStream(shared));
                    return null;
                }));
            }
            for (byte[] data : distinct) {
                results.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    store.write(sha(data), data.length, new ByteArrayInputStream(data));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(shared, Files.readAllBytes(dir.resolve(sharedSha)));
        for (byte[] data : distinct) {
            assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha(data))));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(7, files.filter(Files::isRegularFile).count());
        }
        assertTrue(leftovers().isEmpty());
    }

    /** Out of space is simulated with a quota (a real full disk cannot be made safely here). */
    @Test
    void refusesWhatDoesNotFitAndKeepsNothingPartial() throws Exception {
        FsBlobStore store = FsBlobStore.create(dir, 0, 10_000);
        byte[] fits = random(6000, 6);
        store.write(sha(fits), fits.length, new ByteArrayInputStream(fits));
        byte[] tooBig = random(6000, 7);
        InsufficientSpaceException full = assertThrows(InsufficientSpaceException.class,
                () -> store.write(sha(tooBig), tooBig.length, new ByteArrayInputStream(tooBig)));
        assertEquals(6000, full.needed());
        assertEquals(4000, full.available());
        assertFalse(store.contains(sha(tooBig)));
        assertThrows(InsufficientSpaceException.class,
                () -> store.appendPartial("up1", 6000, new ByteArrayInputStream(tooBig), 6000));
        assertEquals(0, store.partialLength("up1"));
        // a small first chunk of an upload whose whole size does not fit is refused at once
        InsufficientSpaceException early = assertThrows(InsufficientSpaceException.class,
                () -> store.appendPartial("up2", 5000, new ByteArrayInputStream(tooBig, 0, 1000), 1000));
        assertEquals(5000, early.needed());
        assertEquals(0, store.partialLength("up2"));
        assertTrue(leftovers().isEmpty());

        // deleting frees the quota again
        assertTrue(store.delete(sha(fits)));
        store.write(sha(tooBig), tooBig.length, new ByteArrayInputStream(tooBig));
    }

    /** The free-space reserve is checked against the real filesystem: a reserve larger than the disk refuses all. */
    @Test
    void freeSpaceReserveOfTheRealFilesystem() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        FsBlobStore store = FsBlobStore.create(dir, usable + (1L << 30), 0);
        byte[] data = random(100, 8);
        assertThrows(InsufficientSpaceException.class,
                () -> store.write(sha(data), data.length, new ByteArrayInputStream(data)));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void partialUploadResumesAfterRestart() throws Exception {
        byte[] data = random(3 * 4096 + 100, 9);
        String sha = sha(data);
        FsBlobStore first = store();
        assertEquals(4096, first.appendPartial("42", data.length, new ByteArrayInputStream(data, 0, 4096), 4096));
        assertEquals(8192,
                first.appendPartial("42", data.length, new ByteArrayInputStream(data, 4096, 4096), 4096));

        // a new instance (platform restart) knows how many bytes arrived and continues from there
        FsBlobStore second = store();
        assertEquals(8192, second.partialLength("42"));
        long rest = data.length - 8192;
        assertEquals(data.length,
                second.appendPartial("42", data.length, new ByteArrayInputStream(data, 8192, (int) rest), rest));
        second.completePartial("42", sha, data.length);
        assertTrue(second.contains(sha));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha)));
        assertEquals(0, second.partialLength("42"));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void chunksAreCopiedWithoutAllocatingABufferEach() throws Exception {
        // 64 chunks of 1 MiB, as a chunked upload sends them: the copy buffer is taken from the store's pool, so
        // the allocation per chunk is a few small objects (channel, streams), never a copy buffer
        byte[] chunk = random(1 << 20, 11);
        int chunks = 64;
        FsBlobStore store = store();
        store.appendPartial("pool", (long) chunks * chunk.length, new ByteArrayInputStream(chunk), chunk.length);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 1; i < chunks; i++) {
            store.appendPartial("pool", (long) chunks * chunk.length, new ByteArrayInputStream(chunk), chunk.length);
        }
        long perChunk = (threads.getCurrentThreadAllocatedBytes() - before) / (chunks - 1);
        assertTrue(perChunk < 16 << 10, "allocated " + perChunk + " bytes per 1 MiB chunk");
        assertEquals((long) chunks * chunk.length, store.partialLength("pool"));
    }

    @Test
    void growingPartialsAreFlushedBehindOnePendingFlushAtATime() throws Exception {
        // the flushes are held in a list and run when the test says, to see when they are asked for and that a late
        // one (after the partial became a blob) does no harm. The bytes go through the page cache, as on a file
        // system without direct I/O: written directly, they have no dirty pages to flush
        List<Runnable> flushes = new ArrayList<>();
        FsBlobStore store = new FsBlobStore(dir, 0, 0, flushes::add, false);
        byte[] chunk = random(1 << 20, 12);
        int chunks = 80;
        MessageDigest whole = MessageDigest.getInstance("SHA-256");
        long size = (long) chunks * chunk.length;
        for (int i = 0; i < chunks; i++) {
            chunk[0] = (byte) i;
            whole.update(chunk);
            store.appendPartial("behind", size, new ByteArrayInputStream(chunk), chunk.length);
            long appended = (long) (i + 1) * chunk.length;
            if (appended == FsBlobStore.WRITE_BEHIND_BYTES) {
                assertEquals(1, flushes.size(), "a flush is asked for once 32 MiB arrived");
            }
            if (appended == 2 * FsBlobStore.WRITE_BEHIND_BYTES) {
                assertEquals(1, flushes.size(), "no second flush while the first is pending");
                flushes.get(0).run();
            }
        }
        assertEquals(2, flushes.size(), "after the first ended, the next 32 MiB asked for another");
        String sha = HexFormat.of().formatHex(whole.digest());
        store.completePartial("behind", sha, size);
        flushes.get(1).run(); // the partial is a blob now: the late flush finds nothing and is ignored
        assertTrue(leftovers().isEmpty());
        assertEquals(size, Files.size(dir.resolve(sha)));
    }

    @Test
    void bodiesArrivingAFewKiBPerReadAreStoredWhole() throws Exception {
        // an HTTP container hands a request body over a few KiB per read; the store fills its buffer before it
        // hashes and writes, and what it stores is still exactly what arrived
        byte[] data = random(3 * CopyBuffers.SIZE + 5000, 13);
        InputStream trickle = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 8192));
            }
        };
        FsBlobStore store = store();
        store.appendPartial("trickle", data.length, trickle, data.length);
        store.completePartial("trickle", sha(data), data.length);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha(data))));
    }

    @Test
    void droppedChunkKeepsEarlierBytes() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(8000, 10);
        store.appendPartial("7", data.length, new ByteArrayInputStream(data, 0, 3000), 3000);
        InputStream dropped = new InputStream() {
            int left = 1000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 1;
                }
                throw new IOException("connection reset");
            }
        };
        assertThrows(IOException.class, () -> store.appendPartial("7", data.length, dropped, 5000));
        assertEquals(3000, store.partialLength("7"));
        store.appendPartial("7", data.length, new ByteArrayInputStream(data, 3000, 5000), 5000);
        store.completePartial("7", sha(data), data.length);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve(sha(data))));
    }

    @Test
    void overflowAndDigestMismatchDiscardThePartial() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(5000, 11);
        store.appendPartial("a", 5000, new ByteArrayInputStream(data, 0, 4000), 4000);
        assertThrows(BlobVerificationException.class,
                () -> store.appendPartial("a", 5000, new ByteArrayInputStream(data), 5000));
        assertEquals(0, store.partialLength("a"));

        store.appendPartial("b", 5000, new ByteArrayInputStream(data), 5000);
        String wrong = sha(random(5, 12));
        assertThrows(BlobVerificationException.class, () -> store.completePartial("b", wrong, 5000));
        assertFalse(store.contains(wrong));
        assertEquals(0, store.partialLength("b"));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void completingAPartialOfStoredContentKeepsOneCopy() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(5000, 13);
        store.write(sha(data), data.length, new ByteArrayInputStream(data));
        store.appendPartial("c", 5000, new ByteArrayInputStream(data), 5000);
        store.completePartial("c", sha(data), 5000);
        assertTrue(store.contains(sha(data)));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void garbageCollectionSparesReferencedPinnedAndYoungBlobs() throws Exception {
        FsBlobStore store = store();
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] data = random(1000, 20 + i);
            shas.add(sha(data));
            store.write(sha(data), data.length, new ByteArrayInputStream(data));
        }
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        for (String sha : shas.subList(0, 3)) {
            Files.setLastModifiedTime(dir.resolve(sha), old);
        }
        String referenced = shas.get(0);
        String pinned = shas.get(1);
        String garbage = shas.get(2);
        String young = shas.get(3);
        try (Pin pin = store.pin(pinned)) {
            List<String> deleted = store.collectGarbage(Set.of(referenced)::contains, Duration.ofHours(1));
            assertEquals(List.of(garbage), deleted);
        }
        assertTrue(store.contains(referenced));
        assertTrue(store.contains(pinned));
        assertTrue(store.contains(young));
        assertFalse(store.contains(garbage));
        // the pin is gone now
        assertEquals(List.of(pinned), store.collectGarbage(Set.of(referenced, young)::contains, Duration.ofHours(1)));
    }

    @Test
    void garbageCollectionRacingWithUploadsOfTheSameContent() throws Exception {
        FsBlobStore store = store();
        byte[] data = random(200_000, 30);
        String sha = sha(data);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                Future<?> upload = pool.submit((Callable<Void>) () -> {
                    // what an uploader does: pin, write (or find it stored), and only then drop the pin
                    try (Pin pin = store.pin(sha)) {
                        store.write(sha, data.length, new ByteArrayInputStream(data));
                        assertTrue(store.contains(sha), "a pinned blob must survive garbage collection");
                    }
                    return null;
                });
                Future<?> gc = pool.submit(() -> store.collectGarbage(s -> false, Duration.ZERO));
                upload.get();
                gc.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsBadNames() throws Exception {
        FsBlobStore store = store();
        assertThrows(IllegalArgumentException.class, () -> store.contains("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> store.partialLength("../x"));
    }
}
