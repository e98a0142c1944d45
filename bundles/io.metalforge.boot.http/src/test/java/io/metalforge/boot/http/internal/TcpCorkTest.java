package io.metalforge.boot.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP_CORK on a real loopback connection: settable where the JDK is opened to us, as the tests' JVM is. */
class TcpCorkTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void corkedBytesArriveOnceTheCorkIsCleared() throws Exception {
        assertTrue(TcpCork.available(), "the tests run with java.base/sun.nio.ch opened, as the appliance does");
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel served = server.accept()) {
                assertTrue(TcpCork.set(served, true));
                served.write(ByteBuffer.wrap("head\r\n\r\n".getBytes()));
                assertTrue(TcpCork.set(served, false));
                ByteBuffer in = ByteBuffer.allocate(64);
                while (in.position() < 8) {
                    client.read(in);
                }
                assertEquals("head\r\n\r\n", new String(in.array(), 0, in.position()));
            }
        }
    }
}
