package io.metalforge.boot.http.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Blocking reads and writes for a worker thread on a connection that stays non-blocking and registered with its event
 * loop (with no interest meanwhile): the worker waits on a selector of its own, at most the idle timeout per wait. A
 * channel may be registered with several selectors, so nothing is cancelled or switched; the cost (an epoll
 * descriptor per request) is paid only by requests that need a worker, never by image reads.
 */
final class BlockingChannelIo implements Closeable {

    private final SocketChannel ch;
    private final Selector selector;
    private final SelectionKey key;
    private final long timeoutMillis;

    BlockingChannelIo(SocketChannel ch, long timeoutMillis) throws IOException {
        this.ch = ch;
        this.timeoutMillis = timeoutMillis;
        this.selector = Selector.open();
        SelectionKey k;
        try {
            k = ch.register(selector, 0);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.key = k;
    }

    /** Waits until {@code op} is ready; a client that does nothing for the idle timeout ends the request. */
    void await(int op) throws IOException {
        key.interestOps(op);
        if (selector.select(timeoutMillis) == 0) {
            throw new SocketTimeoutException("the client did nothing for " + timeoutMillis + " ms");
        }
        selector.selectedKeys().clear();
    }

    /** The client's bytes: first those the event loop read already ({@code buffered}, in read mode), then more. */
    InputStream input(ByteBuffer buffered) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (buffered.hasRemaining()) {
                    int n = Math.min(len, buffered.remaining());
                    buffered.get(b, off, n);
                    return n;
                }
                ByteBuffer into = ByteBuffer.wrap(b, off, len);
                while (true) {
                    int n = ch.read(into);
                    if (n != 0) {
                        return n;
                    }
                    await(SelectionKey.OP_READ);
                }
            }
        };
    }

    /** Writes to the client, waiting while its socket is full. */
    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer from = ByteBuffer.wrap(b, off, len);
                while (from.hasRemaining()) {
                    if (ch.write(from) == 0) {
                        await(SelectionKey.OP_WRITE);
                    }
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        key.cancel();
        selector.close();
    }
}
