package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.ConnectionStatistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How much an unauthenticated body costs the server, measured through real sockets on a real Jetty 12: threads held
 * while bodies trickle (counted in the server's own stacks, as it runs in this JVM), and bytes read from a refused
 * 8 MiB form (Jetty's connection statistics).
 */
class UnauthenticatedBodiesHttpTest {

    /** A cap above the number of tricklers, so that every one of them is reading its prefix at once. */
    static final BodyPolicy POLICY = new BodyPolicy(64 * 1024, 8_000, 256, BodyPolicy.DEFAULT.rate(),
            BodyPolicy.DEFAULT.spoolReserveBytes(), BodyPolicy.DEFAULT.drainMillis());

    @TempDir
    static Path data;

    static TestServer server;
    static ApiKey user;
    static final ConnectionStatistics STATISTICS = new ConnectionStatistics();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(data, FormLimits.DEFAULT, POLICY);
        server.connector.addBean(STATISTICS);
        STATISTICS.start();
        server.add(new ApiHttpTest.EchoHandler());
        server.users.createUser("carol", "carol@example.com", false);
        user = server.users.createKey("carol", "t").orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Server threads now inside the API's dispatcher (a request being handled, or stuck reading its body). */
    static int threadsInDispatcher() {
        int n = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(Dispatcher.class.getName()))) {
                n++;
            }
        }
        return n;
    }

    static long closed() {
        return STATISTICS.getConnectionsTotal() - STATISTICS.getConnections();
    }

    @Test
    void tricklingFormsHoldNoThreadAndGet408AtTheirDeadline() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
                s.setSoTimeout(15_000);
                String type = i % 2 == 0 ? "multipart/form-data; boundary=B" : "application/x-www-form-urlencoded";
                s.getOutputStream().write(("POST /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + type + "\r\nContent-Length: 10000000\r\n\r\n--B\r\n").getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            int most = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write('x');
                    } catch (IOException e) {
                        // answered and closed already (on a loaded machine the deadline may come first)
                    }
                }
                // and a signed request is served meanwhile
                assertEquals(200, server.get("users/?op=whoami", user).statusCode());
                Thread.sleep(100);
                // counted 100 ms after the bytes went out: a thread still there is held by a trickler, not one
                // taking in the byte that just arrived (counted right after the writes, that was 3 at times)
                most = Math.max(most, threadsInDispatcher());
            }
            // the blocking read this replaces held one worker per trickler (up to the cap: 200 here)
            assertTrue(most <= 2, most + " threads in the dispatcher while 200 forms trickle");
            Map<Integer, Integer> answers = new TreeMap<>();
            for (Socket s : sockets) {
                answers.merge(HostileClientsHttpTest.status(s), 1, Integer::sum);
            }
            assertEquals(Map.of(408, 200), answers, "every trickler is answered 408 at the prefix deadline");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        // a worker that answered the last form may still be on its way out of the dispatcher as the sockets close
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threadsInDispatcher() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, threadsInDispatcher(), "a thread stays in the dispatcher after every form was answered");
    }

    /**
     * Bytes the server read per refused 8 MiB body: what came with the head (a form whose first part is a file is
     * refused on that part's headers) or the prefix, and then, since the rest of such a body cannot be drained
     * within the refusal's bound (256 KiB), nothing more: neither ours nor Jetty's own reads of unconsumed content
     * (up to 16 chunks, its maxUnconsumedRequestContentReads), which a refusal that closes skips. Before a refusal
     * skipped our drain, and before a form with a file first was refused on its part headers, these were about
     * 470 KiB here; then about 210 KiB (most of it Jetty's reads); now about 16 KiB with a file first and 80 KiB
     * for a long urlencoded form (its 64 KiB prefix).
     */
    @Test
    void aRefused8MiBFormIsReadNoFurtherThanASmallPrefix() throws Exception {
        MaasCliMultipart big = new MaasCliMultipart().file("content", new byte[8 << 20]);
        long perRequest = bytesReadPerRefused(big.contentType(), big.body());
        System.out.println("bytes read per refused 8 MiB form with a file first: " + perRequest);
        assertTrue(perRequest < 64 << 10, perRequest + " bytes read per refused 8 MiB form");
        byte[] urlencoded = new byte[8 << 20];
        Arrays.fill(urlencoded, (byte) 'a');
        perRequest = bytesReadPerRefused("application/x-www-form-urlencoded", urlencoded);
        System.out.println("bytes read per refused 8 MiB urlencoded form: " + perRequest);
        assertTrue(perRequest < 160 << 10, perRequest + " bytes read per refused 8 MiB urlencoded form");
    }

    /** Posts {@code body} unauthenticated 5 times as fast as the socket takes it; the bytes the server read each. */
    private static long bytesReadPerRefused(String contentType, byte[] body) throws Exception {
        long before = STATISTICS.getReceivedBytes();
        long closedBefore = closed();
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                Thread writer = new Thread(() -> {
                    try {
                        out.write(body);
                    } catch (IOException e) {
                        // the server closed the connection: what it means to refuse the rest
                    }
                });
                writer.start();
                InputStream in = s.getInputStream();
                String answer;
                try {
                    answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    answer = ""; // reset: the server closed with the body still arriving
                }
                assertTrue(answer.isEmpty() || answer.equals("HTTP/1.1 401"), answer);
                refused++;
                writer.join(15_000);
            }
        }
        assertEquals(5, refused);
        // a connection's bytes are counted once the server has closed it
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closed() - closedBefore < 5 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return (STATISTICS.getReceivedBytes() - before) / 5;
    }

    @Test
    void aFormWhoseFirstPartIsAFileIsRefusedOnThatPartsHeaders() throws Exception {
        // the client announces 8 MiB and sends only the first part's headers: the 401 comes without the rest, and
        // long before the prefix's deadline (8 s here)
        MaasCliMultipart big = new MaasCliMultipart().file("content", new byte[8 << 20]);
        byte[] body = big.body();
        String text = new String(body, 0, 4096, StandardCharsets.ISO_8859_1);
        int headersEnd = text.indexOf("\r\n\r\n") + 4;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            s.setSoTimeout(3_000);
            long started = System.nanoTime();
            OutputStream out = s.getOutputStream();
            out.write(("POST /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + big.contentType() + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, headersEnd);
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            assertTrue(answer.contains("Connection: close"), answer);
            assertTrue(millis < 3_000, millis + " ms");
        }
        // one byte short of the part's headers, the server waits for more (and answers 408 at the deadline)
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + big.contentType() + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, headersEnd - 1);
            out.flush();
            assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read());
        }
    }
}
