package io.metalforge.boot.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.boot.internal.BootFixture;
import io.metalforge.boot.ipxe.internal.IpxeBootMethod;

/**
 * What the event loops add: many keep-alive connections at once on two threads, requests that arrive in pieces, and
 * requests a worker answers (a rendered config, the API) between image reads on one connection. Over the real boot
 * service, blob store and iPXE boot method; the API behind /MAAS/ is the JDK's HTTP server (only forwarding is under
 * test here).
 */
class BootHttpEventLoopTest {

    @TempDir
    Path dir;
    BootFixture boot;
    HttpBootServer server;
    HttpServer api;
    byte[] bytes;
    String path;

    @BeforeEach
    void setUp() throws Exception {
        boot = new BootFixture(dir.resolve("data"), "10.0.2.100:5248").method(new IpxeBootMethod());
        boot.image("ubuntu/noble", "amd64/ga-24.04", "stable", Map.of("boot-kernel",
                "KERNEL".getBytes(StandardCharsets.UTF_8)));
        bytes = new byte[2 * 1024 * 1024 + 5];
        new Random(3).nextBytes(bytes);
        Path f = dir.resolve("root.img");
        Files.write(f, bytes);
        BootResourceFile big = boot.bigImage("custom/loop", "amd64/generic", "root-dd", f, BootFixture.sha256(bytes));
        path = "/images/" + big.filenameOnDisk() + "/custom/amd64/generic/loop/uploaded/root-dd";
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/MAAS/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            byte[] answer = (ex.getRequestMethod() + " " + ex.getRequestURI() + " body="
                    + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        api.start();
        server = new HttpBootServer(boot.service, new ApiForwarder("127.0.0.1:" + api.getAddress().getPort()),
                "127.0.0.1", 0, 256, 256, 10, BootHttpServerTest.POOLS, (m, e) -> {
                    throw new AssertionError(m, e);
                });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop();
        api.stop(0);
        boot.close();
    }

    @Test
    void twoHundredKeepAliveConnectionsAtOnceEachReadTheirRangesWhole() throws Exception {
        int clients = 200;
        int rounds = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch connected = new CountDownLatch(clients);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    try (Socket s = new Socket("127.0.0.1", server.port())) {
                        s.setSoTimeout(30_000);
                        connected.countDown();
                        // all 200 connections are open before any asks: the loops hold them at once
                        assertTrue(connected.await(30, TimeUnit.SECONDS));
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        Random random = new Random(seed);
                        for (int r = 0; r < rounds; r++) {
                            int first = random.nextInt(bytes.length - 1);
                            int last = Math.min(bytes.length - 1, first + random.nextInt(48 * 1024));
                            s.getOutputStream().write(request(first, last));
                            String head = BootHttpServerTest.readHead(in);
                            assertTrue(head.startsWith("HTTP/1.1 206"), head);
                            assertTrue(head.contains("Content-Range: bytes " + first + "-" + last + "/" + bytes.length),
                                    head);
                            assertArrayEquals(Arrays.copyOfRange(bytes, first, last + 1), in.readNBytes(last - first
                                    + 1), "range " + first + "-" + last + " of client " + seed);
                        }
                        return rounds;
                    }
                }));
            }
            int answered = 0;
            for (Future<Integer> f : results) {
                answered += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(clients * rounds, answered);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestArrivingByteByByteIsAnsweredAndTheConnectionReadsOn() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (byte b : request(10, 70_009)) {
                out.write(b); // one segment per byte: the loop sees the head in as many reads
                out.flush();
                Thread.sleep(1);
            }
            String head = BootHttpServerTest.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 206"), head);
            assertArrayEquals(Arrays.copyOfRange(bytes, 10, 70_010), in.readNBytes(70_000));
            // a request split across two writes mid-line, then a whole one on the same connection
            byte[] next = request(0, 9);
            out.write(next, 0, 17);
            out.flush();
            Thread.sleep(100);
            out.write(next, 17, next.length - 17);
            head = BootHttpServerTest.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 206"), head);
            assertArrayEquals(Arrays.copyOfRange(bytes, 0, 10), in.readNBytes(10));
        }
    }

    @Test
    void requestHeadsAreReadInEveryLineEndingAndMalformedOnesAreRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // blank lines before a request, bare LF line endings, spaces around a header value, an escaped path
            String escaped = path.replace("root-dd", "root%2Ddd");
            out.write(("\r\n\nGET " + escaped + " HTTP/1.1\nHost: x\nRange:   bytes=3-7  \n\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = BootHttpServerTest.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 206"), head);
            assertArrayEquals(Arrays.copyOfRange(bytes, 3, 8), in.readNBytes(5));
            // the same blob again on the connection: the same ETag and Last-Modified (kept from the first answer)
            String etag = head.replaceAll("(?s).*ETag: ([^\r]+)\r\n.*", "$1");
            String modified = head.replaceAll("(?s).*Last-Modified: ([^\r]+)\r\n.*", "$1");
            out.write(request(8, 8));
            head = BootHttpServerTest.readHead(in);
            assertTrue(head.contains("ETag: " + etag + "\r\n") && head.contains("Last-Modified: " + modified + "\r\n"),
                    head);
            assertEquals('"' + BootFixture.sha256(bytes) + '"', etag);
            assertArrayEquals(Arrays.copyOfRange(bytes, 8, 9), in.readNBytes(1));
            // a header line without a colon: 400, and the connection closes
            out.write(("GET " + path + " HTTP/1.1\r\nHost x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400") && answer.endsWith("malformed header line\n"), answer);
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET  /images/x HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400") && answer.endsWith("not an HTTP/1.x request line\n"), answer);
        }
    }

    @Test
    void configsAndTheApiAnsweredByWorkersSitBetweenImageReadsOnOneConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // pipelined: a range (the loop), a rendered config (a worker), a range again (the loop, after the worker)
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.writeBytes(request(0, 99));
            all.writeBytes("GET /ipxe.cfg HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            all.writeBytes(request(1_000_000, 1_999_999));
            out.write(all.toByteArray());
            String head = BootHttpServerTest.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 206"), head);
            assertArrayEquals(Arrays.copyOfRange(bytes, 0, 100), in.readNBytes(100));
            head = BootHttpServerTest.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1"));
            String config = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            assertTrue(config.startsWith("#!ipxe\n"), config);
            head = BootHttpServerTest.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 206"), head);
            assertArrayEquals(Arrays.copyOfRange(bytes, 1_000_000, 2_000_000), in.readNBytes(1_000_000));
            // then the API, its body sent together with its head: forwarded, answered, and the connection closes
            out.write(("POST /MAAS/metadata/status/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nop=finished")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("POST /MAAS/metadata/status/abc body=op=finished"), answer);
        }
        // curl asking the API and then an image: both answered (curl opens a new connection after the forwarded one)
        String base = "http://127.0.0.1:" + server.port();
        Curl.Result r = Curl.run("-sS", "-w", "\n%{http_code}\n", base + "/MAAS/metadata/latest/", "--next", "-sS",
                "-r", "5-14", "-o", dir.resolve("range").toString(), "-w", "%{http_code}\n", base + path);
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("GET /MAAS/metadata/latest/ body=", "200", "206"), r.out().lines().toList());
        assertArrayEquals(Arrays.copyOfRange(bytes, 5, 15), Files.readAllBytes(dir.resolve("range")));
    }

    private byte[] request(int first, int last) {
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=" + first + "-" + last + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
