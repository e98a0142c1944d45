package io.metalforge.boot.tftp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

import io.metalforge.api.boot.BootFile;

/**
 * Reads block N of a file for sending (and sending again): positional reads on a file channel, otherwise a
 * sequential channel that is reopened at the block's offset when a window is sent again.
 */
final class BlockReader implements AutoCloseable {

    private final BootFile file;
    private ReadableByteChannel channel;
    private long position;

    BlockReader(BootFile file) throws IOException {
        this.file = file;
        this.channel = file.open(0);
        this.position = 0;
    }

    /**
     * Puts up to {@code length} bytes from {@code offset} into {@code into} at its position (a direct buffer lets a
     * file channel read straight into it); returns the bytes read.
     */
    int read(long offset, ByteBuffer into, int length) throws IOException {
        ByteBuffer b = into.limit(into.position() + length);
        if (channel instanceof FileChannel fc) {
            long p = offset;
            while (b.hasRemaining()) {
                int r = fc.read(b, p);
                if (r < 0) {
                    break;
                }
                p += r;
            }
            return length - b.remaining();
        }
        if (offset != position) {
            channel.close();
            channel = file.open(offset);
            position = offset;
        }
        while (b.hasRemaining()) {
            int r = channel.read(b);
            if (r < 0) {
                break;
            }
            position += r;
        }
        return length - b.remaining();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
