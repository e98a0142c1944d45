package io.metalforge.boot.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootRequestRecord;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.boot.grub.internal.GrubBootMethod;
import io.metalforge.boot.internal.BootFixture;
import io.metalforge.boot.ipxe.internal.IpxeBootMethod;
import io.metalforge.boot.pxelinux.internal.PxelinuxBootMethod;

/**
 * The boot HTTP server on a loopback port, over the real boot service, catalog, blob store and boot methods, asked by
 * the real curl. The MAAS API it forwards /MAAS/ to is stood in for by the JDK's HTTP server (the API bundle's own
 * tests cover the API; here only the forwarding is under test).
 */
class BootHttpServerTest {

    static final String MAC = "52:54:00:12:34:56";

    /** Plain pools standing in for the platform executor's (a framework service, which PlatformBootIT runs). */
    static final ThreadPools POOLS = (name, n) -> java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
        Thread t = new Thread(r, "test-boot-http-" + name);
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path dir;
    BootFixture boot;
    HttpBootServer server;
    HttpServer api;
    String base;
    BootResourceFile big;
    byte[] bigBytes;
    Map<String, BootResourceFile> noble;

    @BeforeEach
    void setUp() throws Exception {
        boot = new BootFixture(dir.resolve("data"), "10.0.2.100:5248").method(new IpxeBootMethod())
                .method(new PxelinuxBootMethod()).method(new GrubBootMethod());
        noble = boot.image("ubuntu/noble", "amd64/ga-24.04", "stable", Map.of("boot-kernel",
                "KERNEL".getBytes(StandardCharsets.UTF_8), "boot-initrd", "INITRD".getBytes(StandardCharsets.UTF_8),
                "squashfs", "SQUASHFS".getBytes(StandardCharsets.UTF_8)));
        bigBytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bigBytes);
        Path f = dir.resolve("root-dd.gz");
        Files.write(f, bigBytes);
        big = boot.bigImage("custom/ddtest", "amd64/generic", "root-dd.gz", f, BootFixture.sha256(bigBytes));
        boot.targets.put(new BootTarget("abc123", "node1", MAC, "amd64/generic", BootIntent.XINSTALL, "ubuntu",
                "noble", "console=ttyS0"));
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/MAAS/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            byte[] answer = (ex.getRequestMethod() + " " + ex.getRequestURI() + " xff="
                    + ex.getRequestHeaders().getFirst("X-Forwarded-For") + " body=" + new String(body,
                            StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(201, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        api.start();
        server = new HttpBootServer(boot.service, new ApiForwarder("127.0.0.1:" + api.getAddress().getPort()),
                "127.0.0.1", 0, 8, 4, 2, POOLS, (m, e) -> {
                    throw new AssertionError(m, e);
                });
        server.start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void tearDown() {
        server.stop();
        api.stop(0);
        boot.close();
    }

    String imageUrl(BootResourceFile f, String rest) {
        return base + "/images/" + f.filenameOnDisk() + rest;
    }

    @Test
    void imageBytesHeadAndRanges() throws Exception {
        String url = imageUrl(big, "/custom/amd64/generic/ddtest/uploaded/root-dd.gz");
        Path got = dir.resolve("got");
        assertEquals(200, Curl.download(url, got));
        assertTrue(java.util.Arrays.equals(bigBytes, Files.readAllBytes(got)));

        String head = Curl.run("-I", url).out();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertTrue(head.contains("Content-Length: " + bigBytes.length + "\r\n"), head);
        assertTrue(head.contains("ETag: \"" + big.sha256() + "\"\r\n"), head);
        assertTrue(head.contains("Last-Modified: "), head);
        assertTrue(head.contains("Accept-Ranges: bytes"), head);

        assertEquals(206, Curl.download(url, got, "-r", "1000-1999"));
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(bigBytes, 1000, 2000),
                Files.readAllBytes(got)));
        assertEquals(206, Curl.download(url, got, "-r", "-10"));
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(bigBytes, bigBytes.length - 10,
                bigBytes.length), Files.readAllBytes(got)));
        String partial = Curl.run("-s", "-D", "-", "-o", "/dev/null", "-r", "3000000-", url).out();
        assertTrue(partial.contains("Content-Range: bytes 3000000-" + (bigBytes.length - 1) + "/" + bigBytes.length),
                partial);
        String unsatisfiable = Curl.run("-s", "-D", "-", "-o", "/dev/null", "-r", bigBytes.length + "-", url).out();
        assertTrue(unsatisfiable.startsWith("HTTP/1.1 416"), unsatisfiable);
        assertTrue(unsatisfiable.contains("Content-Range: bytes */" + bigBytes.length), unsatisfiable);
        // a client resuming after the file changed (If-Range with another ETag) gets all of it
        assertEquals(200, Curl.download(url, got, "-r", "0-9", "-H", "If-Range: \"0000\""));
        assertEquals(bigBytes.length, Files.size(got));
        assertEquals(304, Curl.download(url, got, "-H", "If-None-Match: \"" + big.sha256() + "\""));
    }

    @Test
    void rangesOnOneConnectionReuseOneOpenBlobWhichClosesWithTheConnection() throws Exception {
        String path = "/images/" + big.filenameOnDisk() + "/custom/amd64/generic/ddtest/uploaded/root-dd.gz";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            // small, across 16 KiB, exactly 16 KiB, 1 MiB deep inside, and the last bytes
            long[][] ranges = { { 0, 99 }, { 5, 40_000 }, { 16_384, 32_767 }, { 1_048_576, 2_097_151 },
                { bigBytes.length - 3, bigBytes.length - 1 } };
            for (long[] r : ranges) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=" + r[0] + "-" + r[1]
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertRangeOfBig(in, r);
            }
            // five requests, one descriptor of the blob, kept by the connection
            assertEquals(1, openDescriptorsOf(big.sha256()));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (openDescriptorsOf(big.sha256()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, openDescriptorsOf(big.sha256()), "the blob is closed with its connection");
    }

    @Test
    void oneCurlConnectionReadsManyRangesIncludingOneAcrossTheEndAndA416() throws Exception {
        // eight 1 MiB-sized and odd ranges, one that runs past the end (answered up to the last byte), then one that
        // starts past the end (416)
        long[][] ranges = { { 0, 1_048_575 }, { 1_048_576, 2_097_151 }, { 7, 7 }, { 2_097_152, 3_145_727 },
            { 100, 1_048_675 }, { 3_000_000, 99_999_999 }, { 0, 0 }, { 65_535, 65_536 } };
        assertCurlRangesOnOneConnection(ranges, true);
    }

    @Test
    void rangesAroundTheFirstSliceSentWithTheHeadArriveWhole() throws Exception {
        // corked (these tests run with TCP_CORK settable, as the appliance): the head alone, then sendfile
        assertTrue(TcpCork.inUse());
        assertRangesAroundTheFirstSlice();
    }

    @Test
    void rangesAroundTheFirstSliceArriveWholeWhereTheCorkCannotBeSet() throws Exception {
        // uncorked (a JVM that does not open the JDK to Metalforge): the head goes out with the body's first
        // FIRST_BODY bytes and sendfile sends the rest
        TcpCork.offForTests = true;
        try {
            assertRangesAroundTheFirstSlice();
        } finally {
            TcpCork.offForTests = false;
        }
    }

    private void assertRangesAroundTheFirstSlice() throws Exception {
        // ranges one byte short of the first slice, exactly it, one byte more, and longer, from a page boundary and
        // from odd offsets
        int n = BootHttpExchange.FIRST_BODY;
        long[][] ranges = { { 0, n - 2 }, { 0, n - 1 }, { 0, n }, { 4096, 4096 + n }, { 12_345, 12_345 + n - 2 },
            { 12_345, 12_345 + n - 1 }, { 12_345, 12_345 + n }, { 777, 777 + 3L * n + 4 } };
        assertCurlRangesOnOneConnection(ranges, false);
    }

    /**
     * One curl, one connection (--next keeps curl's connection cache), reading {@code ranges} of the big blob (each
     * 206 with exactly its bytes), then, when {@code then416}, one range past the end (416).
     */
    private void assertCurlRangesOnOneConnection(long[][] ranges, boolean then416) throws Exception {
        String url = imageUrl(big, "/custom/amd64/generic/ddtest/uploaded/root-dd.gz");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < ranges.length; i++) {
            if (i > 0) {
                args.add("--next");
            }
            args.addAll(List.of("-sS", "-r", ranges[i][0] + "-" + ranges[i][1], "-o", dir.resolve("r" + i).toString(),
                    "-w", "%{http_code} %{num_connects}\n", url));
        }
        if (then416) {
            args.addAll(List.of("--next", "-sS", "-r", bigBytes.length + "-", "-o", "/dev/null", "-w",
                    "%{http_code} %{num_connects}\n", url));
        }
        Curl.Result r = Curl.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(ranges.length + (then416 ? 1 : 0), lines.size(), r.out());
        int connects = 0;
        for (int i = 0; i < ranges.length; i++) {
            assertTrue(lines.get(i).startsWith("206 "), lines.get(i));
            connects += Integer.parseInt(lines.get(i).split(" ")[1]);
            int last = (int) Math.min(ranges[i][1], bigBytes.length - 1);
            assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(bigBytes, (int) ranges[i][0], last + 1),
                    Files.readAllBytes(dir.resolve("r" + i))), "bytes of range " + i);
        }
        if (then416) {
            assertTrue(lines.get(ranges.length).startsWith("416 "), lines.get(ranges.length));
            connects += Integer.parseInt(lines.get(ranges.length).split(" ")[1]);
        }
        assertEquals(1, connects, "every request on one kept-alive connection: " + r.out());
    }

    @Test
    void pipelinedRangesToAClientThatReadsLateArriveWholeAndInOrder() throws Exception {
        String path = "/images/" + big.filenameOnDisk() + "/custom/amd64/generic/ddtest/uploaded/root-dd.gz";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.setReceiveBufferSize(16 * 1024); // the server's socket fills at once: the bodies wait for the client
            long[][] ranges = { { 0, 1_048_575 }, { 2_000_000, bigBytes.length - 1 }, { 5, 5 }, { 1_048_576,
                2_097_151 } };
            StringBuilder all = new StringBuilder();
            for (long[] r : ranges) {
                all.append("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\nRange: bytes=").append(r[0]).append('-')
                        .append(r[1]).append("\r\n\r\n");
            }
            s.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300); // nothing is read meanwhile
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            for (long[] r : ranges) {
                assertRangeOfBig(in, r);
            }
        }
    }

    @Test
    void aClientThatStopsReadingABodyIsDisconnectedAfterTheIdleTimeout() throws Exception {
        // larger than what the kernel buffers of a loopback connection hold (a few MiB)
        byte[] bytes = new byte[12 * 1024 * 1024];
        new Random(11).nextBytes(bytes);
        Path f = dir.resolve("stall.img");
        Files.write(f, bytes);
        BootResourceFile stall = boot.bigImage("custom/stall", "amd64/generic", "root-dd", f, BootFixture.sha256(bytes));
        String path = "/images/" + stall.filenameOnDisk() + "/custom/amd64/generic/stall/uploaded/root-dd";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(16 * 1024);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(4_000); // the server's idle timeout is 2 s here
            s.setSoTimeout(10_000);
            long got = s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertTrue(got < bytes.length, "the stalled body was cut: " + got + " bytes");
        }
        // the connection's slot is free again
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connectionsFrom(java.net.InetAddress.getByName("127.0.0.1")) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.connectionsFrom(java.net.InetAddress.getByName("127.0.0.1")));
    }

    /** Descriptors of this process open on a file whose name contains {@code name} (Linux's /proc). */
    static long openDescriptorsOf(String name) throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains(name);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    /** Reads one 206 answer for bytes {@code r[0]}-{@code r[1]} of the big blob from {@code in} and checks it. */
    private void assertRangeOfBig(InputStream in, long[] r) throws IOException {
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 206"), head);
        assertTrue(head.contains("Content-Range: bytes " + r[0] + "-" + r[1] + "/" + bigBytes.length), head);
        byte[] body = in.readNBytes((int) (r[1] - r[0] + 1));
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(bigBytes, (int) r[0], (int) r[1] + 1), body),
                "bytes of " + r[0] + "-" + r[1]);
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void unknownHashesTraversalAndOtherMethodsAreRefused() throws Exception {
        Files.writeString(dir.resolve("data/secret"), "SECRET");
        Path got = dir.resolve("got");
        assertEquals(404, Curl.download(base + "/images/0123456789abcdef/x", got));
        assertEquals(404, Curl.download(base + "/images/", got));
        assertEquals(404, Curl.download(base + "/../secret", got, "--path-as-is"));
        assertEquals(404, Curl.download(base + "/images/../../secret", got, "--path-as-is"));
        assertEquals(404, Curl.download(base + "/%2e%2e/secret", got, "--path-as-is"));
        assertEquals(404, Curl.download(base + "/bootloaders/..%2fsecret", got, "--path-as-is"));
        assertEquals(400, Curl.download(base + "/a%zz", got, "--path-as-is"));
        assertEquals(400, Curl.download(base + "/a%00b", got, "--path-as-is"));
        assertEquals(405, Curl.download(base + "/ipxe.cfg", got, "-X", "DELETE"));
    }

    @Test
    void configsArePerMacUrlDecodedAndUnknownMacIsNotFound() throws Exception {
        // iPXE sends ${mac} URL-encoded
        String ipxe = Curl.run(base + "/ipxe.cfg-52%3A54%3A00%3A12%3A34%3A56").out();
        String kernel = noble.get("boot-kernel").filenameOnDisk();
        assertTrue(ipxe.startsWith("#!ipxe\n"), ipxe);
        assertTrue(ipxe.contains("kernel http://10.0.2.100:5248/images/" + kernel
                + "/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel\n"), ipxe);
        assertTrue(ipxe.contains("imgargs boot-kernel nomodeset root=squash:http://10.0.2.100:5248/images/"), ipxe);
        assertTrue(ipxe.contains(" --- console=ttyS0 BOOTIF=01-${mac:hexhyp}\n"), ipxe);
        String pxe = Curl.run(base + "/pxelinux.cfg/01-52-54-00-12-34-56").out();
        assertTrue(pxe.contains("  KERNEL http://10.0.2.100:5248/images/" + kernel), pxe);
        assertTrue(pxe.contains("  IPAPPEND 2"), pxe);
        String grub = Curl.run(base + "/grub/grub.cfg-52:54:00:12:34:56").out();
        assertTrue(grub.contains("linux  /images/" + kernel), grub);
        assertTrue(grub.contains("cc:\\{'datasource_list': ['MAAS']\\}end_cc"), grub);
        Path got = dir.resolve("got");
        assertEquals(404, Curl.download(base + "/ipxe.cfg-52:54:00:99:99:99", got));
        assertEquals(404, Curl.download(base + "/pxelinux.cfg/01-52-54-00-99-99-99", got));
        assertEquals(404, Curl.download(base + "/grub/grub.cfg-52:54:00:99:99:99", got));
        assertEquals(200, Curl.download(base + "/grub/x86_64-efi/fs.lst", got));
        assertEquals(0, Files.size(got));
        assertTrue(Curl.run(base + "/ipxe.cfg").out().contains("chain http://10.0.2.100:5248/ipxe.cfg-${mac} ||"));

        // the kernel fetched after the config is counted for that machine
        Curl.run("-o", "/dev/null", imageUrl(noble.get("boot-kernel"), "/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel"));
        // the server records a request once its last byte is sent, which may be just after curl has it all
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        List<BootRequestRecord> mine = boot.service.recentRequests().get(MAC);
        while (mine.stream().noneMatch(r -> r.path().endsWith("/boot-kernel")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            mine = boot.service.recentRequests().get(MAC);
        }
        assertTrue(mine.stream().anyMatch(r -> r.path().endsWith("/boot-kernel") && r.status() == 200
                && r.bytes() == 6), mine.toString());
    }

    @Test
    void maasPathsAreForwardedToTheApi() throws Exception {
        String get = Curl.run(base + "/MAAS/metadata/latest/by-id/abc123/?op=get_preseed").out();
        assertEquals("GET /MAAS/metadata/latest/by-id/abc123/?op=get_preseed xff=127.0.0.1 body=", get);
        String post = Curl.run("--data-binary", "op=netboot_off", base + "/MAAS/metadata/latest/by-id/abc123/").out();
        assertEquals("POST /MAAS/metadata/latest/by-id/abc123/ xff=127.0.0.1 body=op=netboot_off", post);
        String chunked = Curl.run("-H", "Transfer-Encoding: chunked", "--data-binary", "{\"event_type\": \"start\"}",
                base + "/MAAS/metadata/status/abc123").out();
        assertEquals("POST /MAAS/metadata/status/abc123 xff=127.0.0.1 body={\"event_type\": \"start\"}", chunked);
        api.stop(0);
        assertEquals("502", Curl.run("-o", "/dev/null", "-w", "%{http_code}", base + "/MAAS/api/2.0/version/").out());
    }

    @Test
    void aStoppedServerReleasesItsPortAtOnce() throws Exception {
        int port = server.port();
        server.stop();
        // as when the configuration changes: a new server on the same port right away
        server = new HttpBootServer(boot.service, new ApiForwarder("127.0.0.1:1"), "127.0.0.1", port, 8, 4, 2,
                POOLS, (m, e) -> {
                    throw new AssertionError(m, e);
                });
        server.start();
        assertTrue(Curl.run(base + "/ipxe.cfg").out().startsWith("#!ipxe\n"));
    }

    @Test
    void keepAliveServesSeveralRequestsAndConnectionsAreLimited() throws Exception {
        // curl reuses one connection for several URLs on the command line
        Curl.Result r = Curl.run("-v", "-o", "/dev/null", "-o", "/dev/null", base + "/ipxe.cfg", base + "/ipxe.cfg");
        assertTrue(r.err().contains("Re-using existing connection") || r.err().contains("Reusing existing"),
                r.err());
        // a fifth connection from the same address is refused with 503 (limit 4 per client)
        Socket[] held = new Socket[4];
        try {
            for (int i = 0; i < held.length; i++) {
                held[i] = new Socket("127.0.0.1", server.port());
            }
            Thread.sleep(200);
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                extra.setSoTimeout(5000);
                // the refusal is sent as soon as the connection is accepted
                InputStream in = extra.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
            }
        } finally {
            for (Socket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        // the server notices the closed connections before the next one from this address is counted
        long freed = System.nanoTime() + 10_000_000_000L;
        while (server.connectionsFrom(java.net.InetAddress.getLoopbackAddress()) > 0 && System.nanoTime() < freed) {
            Thread.sleep(20);
        }
        assertEquals(0, server.connectionsFrom(java.net.InetAddress.getLoopbackAddress()));
        // idle connections are closed after the idle timeout (2 s here)
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertEquals(-1, idle.getInputStream().read());
            assertTrue(System.nanoTime() - t0 < 8_000_000_000L);
        }
        // so is a client that stalls inside its request head, and the server still answers others afterwards
        try (Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream().write("GET /images/ HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            assertEquals(-1, stalled.getInputStream().read());
            assertTrue(System.nanoTime() - t0 < 8_000_000_000L);
        }
        try (Socket next = new Socket("127.0.0.1", server.port())) {
            next.setSoTimeout(10_000);
            next.getOutputStream().write("GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(next.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
        }
    }
}
