package io.metalforge.simplestreams.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on loopback whose answers a test writes byte for byte, for what a well-behaved HTTP server never
 * sends: short bodies, hostile heads, connections closed at the worst moment. It records every request head and
 * counts the connections it accepted.
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** What one connection gets: {@code connection} counts from 0 in the order they were accepted. */
    interface Script {
        void serve(int connection, Wire wire) throws Exception;
    }

    /** One accepted connection: read request heads, write raw answers. */
    static final class Wire {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        private final List<String> heads;

        Wire(Socket socket, List<String> heads) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.heads = heads;
        }

        /** The next request's head (up to its empty line); null when the client closed the connection. */
        String request() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            heads.add(h);
            return h;
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }
    }

    private final ServerSocket server;
    final List<String> heads = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    ScriptedHttpServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                int n = accepted.getAndIncrement();
                Thread t = new Thread(() -> {
                    try (s) {
                        script.serve(n, new Wire(s, heads));
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }, "scripted-http-" + n);
                t.setDaemon(true);
                t.start();
            }
        }, "scripted-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
