package io.metalforge.store.fs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.lang.reflect.Proxy;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.nio.file.ExtendedOpenOption;

import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.store.BlobVerificationException;

/** Partials written past the page cache: whole blocks directly, the rest cached, byte for byte either way. */
class UncachedAppenderTest {

    @TempDir
    Path dir;

    /** Whether the test folder's file system takes O_DIRECT (ext4 and xfs do; tmpfs before Linux 6.6 does not). */
    private boolean directIoHere() throws IOException {
        Path probe = Files.createTempFile(dir, "probe", "");
        try (FileChannel c = FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    @ParameterizedTest(name = "direct I/O allowed: {0}")
    @ValueSource(booleans = { true, false })
    void chunksOfAnySizeAndAlignmentAreStoredByteForByte(boolean directIo) throws Exception {
        // chunks that start inside a block, end inside one, are shorter than one, and span several direct buffers
        int[] sizes = { 5000, 3 * 4096, (1 << 20) + 7, 3, 2 << 20, 4093, 12345, (3 << 20) + 4096 };
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        byte[] data = FsBlobStoreTest.random(total, 21);
        FsBlobStore store = new FsBlobStore(dir.resolve("store"), 0, 0, null, directIo);
        int at = 0;
        for (int s : sizes) {
            long length = store.appendPartial("mixed", total, new ByteArrayInputStream(data, at, s), s);
            at += s;
            assertEquals(at, length);
            assertEquals(at, store.partialLength("mixed"));
        }
        String sha = FsBlobStoreTest.sha(data);
        store.completePartial("mixed", sha, total);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("store").resolve(sha)));
    }

    @Test
    void wholeBlocksGoPastThePageCacheWhereTheFileSystemAllows() throws Exception {
        boolean direct = directIoHere();
        UncachedAppender appender = UncachedAppender.forFolder(dir);
        int block = (int) Files.getFileStore(dir).getBlockSize();
        Path file = Files.createFile(dir.resolve("partial"));
        byte[] data = FsBlobStoreTest.random((4 << 20) + 100, 22);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (FileChannel cached = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // from offset 0: four whole MiB directly, the last 100 bytes cached
            UncachedAppender.Copied first = appender.append(new ByteArrayInputStream(data), cached, file, 0,
                    data.length, digest, new byte[CopyBuffers.SIZE]);
            assertEquals(data.length, first.bytes());
            assertEquals(direct ? 100 : data.length, first.cached());
            // from offset 4 MiB + 100: up to the next block boundary cached, then whole blocks directly, then the rest
            UncachedAppender.Copied second = appender.append(new ByteArrayInputStream(data), cached, file,
                    data.length, data.length, digest, new byte[CopyBuffers.SIZE]);
            long head = block - 100;
            long tail = (data.length - head) % block;
            assertEquals(direct ? head + tail : data.length, second.cached());
        }
        byte[] twice = new byte[2 * data.length];
        System.arraycopy(data, 0, twice, 0, data.length);
        System.arraycopy(data, 0, twice, data.length, data.length);
        assertArrayEquals(twice, Files.readAllBytes(file));
        assertEquals(FsBlobStoreTest.sha(twice), HexFormat.of().formatHex(digest.digest()));
    }

    @ParameterizedTest(name = "direct_io={0}")
    @ValueSource(strings = { "", "true", "false" })
    void theComponentsDirectIoKeyTurnsItOff(String directIo) throws Exception {
        // through the component's own constructor, with the configuration as Declarative Services hands it over: the
        // key unset (its default), or set
        Map<String, Object> properties = directIo.isEmpty() ? Map.of() : Map.of("direct_io", directIo);
        FsBlobStoreConfig config = (FsBlobStoreConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { FsBlobStoreConfig.class }, (proxy, method, args) -> {
                    String key = method.getName().replace("__", "_");
                    Object value = properties.get(key);
                    return value == null ? method.getDefaultValue() : Boolean.valueOf((String) value);
                });
        PlatformDirectories directories = new PlatformDirectories() {
            @Override
            public Path data() {
                return dir;
            }

            @Override
            public Path deploy() {
                return dir;
            }
        };
        PlatformExecutor executor = (PlatformExecutor) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { PlatformExecutor.class }, (proxy, method, args) -> null);
        FsBlobStore store = new FsBlobStore(directories, config, executor);
        if (directIo.equals("false")) {
            assertFalse(store.writesDirect());
        } else {
            // tried wherever the folder has a block size; where the file system also takes O_DIRECT, used
            assertEquals(UncachedAppender.forFolder(dir).direct(), store.writesDirect());
            assertTrue(store.writesDirect() || !directIoHere());
        }
    }

    @Test
    void aBodyShorterThanItsLengthIsRefusedAfterItsDirectWritesAndNothingOfItIsKept() throws Exception {
        // a client that declares 3 MiB and sends 2.5 MiB + 100 bytes: whole blocks of it were already written
        // directly when the body ended; the chunk is refused and the partial cut back to the chunk before
        byte[] data = FsBlobStoreTest.random((4 << 20) + (3 << 20), 24);
        FsBlobStore store = new FsBlobStore(dir.resolve("store"), 0, 0, null, true);
        store.appendPartial("short", data.length, new ByteArrayInputStream(data, 0, 4 << 20), 4 << 20);
        InputStream shortBody = new ByteArrayInputStream(data, 4 << 20, (5 << 19) + 100);
        BlobVerificationException refused = assertThrows(BlobVerificationException.class,
                () -> store.appendPartial("short", data.length, shortBody, 3 << 20));
        assertTrue(refused.getMessage().contains("Chunk ended after " + ((5 << 19) + 100)), refused.getMessage());
        assertEquals(4 << 20, store.partialLength("short"));
        store.appendPartial("short", data.length, new ByteArrayInputStream(data, 4 << 20, 3 << 20), 3 << 20);
        String sha = FsBlobStoreTest.sha(data);
        store.completePartial("short", sha, data.length);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("store").resolve(sha)));
    }

    @Test
    void aBodyThatBreaksOffInItsDirectPartKeepsOnlyTheChunksBefore() throws Exception {
        // the connection drops after 2.5 MiB of a 3 MiB chunk, past several direct writes: the partial is cut back
        // to the chunk before, and the chunk sent again completes the upload
        byte[] data = FsBlobStoreTest.random((4 << 20) + (3 << 20), 23);
        FsBlobStore store = new FsBlobStore(dir.resolve("store"), 0, 0, null, true);
        store.appendPartial("dropped", data.length, new ByteArrayInputStream(data, 0, 4 << 20), 4 << 20);
        InputStream breaking = new FilterInputStream(new ByteArrayInputStream(data, 4 << 20, 5 << 19)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        assertThrows(IOException.class, () -> store.appendPartial("dropped", data.length, breaking, 3 << 20));
        assertEquals(4 << 20, store.partialLength("dropped"));
        store.appendPartial("dropped", data.length, new ByteArrayInputStream(data, 4 << 20, 3 << 20), 3 << 20);
        String sha = FsBlobStoreTest.sha(data);
        store.completePartial("dropped", sha, data.length);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("store").resolve(sha)));
    }
}
