package io.metalforge.store.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Appends an upload's chunks to its partial file with direct I/O (O_DIRECT) where the file system takes it: the
 * bytes go from one aligned buffer to the disk instead of being copied into the page cache first. An upload is
 * written once and not read back while it grows (the image doctor reads it as it arrives), so caching it only costs:
 * on a two-core machine the kernel's copy into fresh page-cache pages took more of the request thread than hashing
 * did, and those gigabytes of dirty pages then had to be written out before the completion's fsync returned.
 *
 * <p>Direct I/O writes whole blocks (the file system's block size) from block-aligned memory at block-aligned
 * offsets. What does not fill a block goes through the page cache as before: a chunk's start up to the next block
 * boundary when the previous chunk ended inside a block, and a chunk's last bytes that do not fill one. So any
 * chunking is stored byte for byte; the maas CLI's 4 MiB chunks are written directly except for the last bytes of the
 * file. Where the file system refuses direct I/O (tmpfs before Linux 6.6, some network file systems) every byte goes
 * through the page cache, as it did before; that is decided per file, at open.
 */
final class UncachedAppender {

    /** Bytes per direct write: large writes keep the disk busy while a request thread waits on each in turn. */
    static final int BUFFER = 1 << 20;
    private static final OpenOption[] DIRECT = { StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT };

    /** The alignment of direct writes (the file system's block size); 0 where direct I/O is not used at all. */
    private final int block;
    private final BlockingQueue<ByteBuffer> idle = new ArrayBlockingQueue<>(8);

    private UncachedAppender(int block) {
        this.block = block;
    }

    /** An appender for files under {@code folder}, direct where its file store's block size allows. */
    static UncachedAppender forFolder(Path folder) {
        int block;
        try {
            long size = Files.getFileStore(folder).getBlockSize();
            block = size >= 512 && size <= 65536 && Long.bitCount(size) == 1 ? (int) size : 0;
        } catch (IOException | UnsupportedOperationException e) {
            block = 0;
        }
        return new UncachedAppender(block);
    }

    /** An appender that writes everything through the page cache (tests, and file systems without block sizes). */
    static UncachedAppender cachedOnly() {
        return new UncachedAppender(0);
    }

    /** Whether whole blocks are written directly (the file may still refuse it at open). */
    boolean direct() {
        return block != 0;
    }

    /**
     * Copies up to {@code size} bytes of {@code in} to {@code file} from {@code position} on, feeding each to
     * {@code digest} before it is written. {@code cached} is the file opened for writing through the page cache;
     * {@code heap} a copy buffer. Returns the bytes copied (fewer than {@code size} only where the stream ended) and
     * of those, through {@link Copied#cached()}, how many went through the page cache.
     */
    Copied append(InputStream in, FileChannel cached, Path file, long position, long size, MessageDigest digest,
            byte[] heap) throws IOException {
        long head = block == 0 ? size : Math.min(size, (block - position % block) % block);
        long copied = copyCached(in, cached, position, head, digest, heap);
        if (copied < head || copied == size) {
            return new Copied(copied, copied);
        }
        FileChannel direct = openDirect(file);
        if (direct == null) {
            long rest = copyCached(in, cached, position + copied, size - copied, digest, heap);
            return new Copied(copied + rest, copied + rest);
        }
        ByteBuffer buffer = take();
        long cachedBytes = copied;
        try (direct) {
            boolean ended = false;
            while (copied < size && !ended) {
                buffer.clear();
                // fill the aligned buffer from the heap buffer: hashing and writing whole buffers, as for cached writes
                while (buffer.hasRemaining() && copied + buffer.position() < size) {
                    long left = size - copied - buffer.position();
                    int want = (int) Math.min(Math.min(heap.length, buffer.remaining()), left);
                    int n = FsBlobStore.fill(in, heap, want);
                    digest.update(heap, 0, n);
                    buffer.put(heap, 0, n);
                    if (n < want) {
                        ended = true;
                        break;
                    }
                }
                int filled = buffer.position();
                int whole = filled - filled % block;
                buffer.flip();
                buffer.limit(whole);
                writeFully(direct, buffer, position + copied);
                buffer.limit(filled);
                // the bytes that do not fill a block: through the page cache
                writeFully(cached, buffer, position + copied + whole);
                cachedBytes += filled - whole;
                copied += filled;
            }
        } finally {
            idle.offer(buffer);
        }
        return new Copied(copied, cachedBytes);
    }

    /** What {@link #append} copied: all bytes, and those of them written through the page cache. */
    record Copied(long bytes, long cached) {
    }

    /**
     * Copies up to {@code size} bytes of {@code in} through the page cache to {@code out} from {@code position} on,
     * hashing each whole buffer before it is written; returns how many arrived before the stream ended. Also how the
     * store writes a whole blob.
     */
    static long copyCached(InputStream in, FileChannel out, long position, long size, MessageDigest digest,
            byte[] heap) throws IOException {
        ByteBuffer wrapper = ByteBuffer.wrap(heap);
        long copied = 0;
        while (copied < size) {
            int n = FsBlobStore.fill(in, heap, (int) Math.min(heap.length, size - copied));
            if (n == 0) {
                break;
            }
            digest.update(heap, 0, n);
            wrapper.clear().limit(n);
            writeFully(out, wrapper, position + copied);
            copied += n;
        }
        return copied;
    }

    private FileChannel openDirect(Path file) {
        if (block == 0) {
            return null;
        }
        try {
            return FileChannel.open(file, DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // the file system refuses O_DIRECT (EINVAL): through the page cache
        }
    }

    private ByteBuffer take() {
        ByteBuffer b = idle.poll();
        return b != null ? b : ByteBuffer.allocateDirect(BUFFER + block).alignedSlice(block).limit(BUFFER).slice();
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += out.write(buffer, at);
        }
    }
}
