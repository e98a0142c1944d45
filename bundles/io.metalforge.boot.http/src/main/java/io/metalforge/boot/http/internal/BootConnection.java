package io.metalforge.boot.http.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection on an event loop, from accept to close. Touched by its loop's thread only, except while a
 * worker answers one of its requests (then the loop leaves it alone until the worker hands it back).
 */
final class BootConnection {

    /** What the connection waits for. */
    enum State {
        /** the next request head (or the rest of it) */
        READING,
        /** the client to take the answer's bytes */
        WRITING,
        /** a worker answering a request */
        WORKER
    }

    final SocketChannel ch;
    final InetAddress client;
    final BootHttpExchange exchange;
    /** The bytes read and not yet parsed (write mode): at most one request head, as the head-size limit. */
    final ByteBuffer in = ByteBuffer.allocate(RequestHead.MAX_BYTES);
    SelectionKey key;
    State state = State.READING;
    int interest;
    /** System.nanoTime() of the last progress (bytes read or written, a worker's answer). */
    long lastActive;
    boolean closed;

    BootConnection(SocketChannel ch, InetAddress client, BootHttpExchange exchange) {
        this.ch = ch;
        this.client = client;
        this.exchange = exchange;
    }

    void interest(int ops) {
        if (ops != interest) {
            key.interestOps(ops);
            interest = ops;
        }
    }
}
