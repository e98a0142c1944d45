package io.metalforge.boot.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.boot.BootFiles;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequestRecord;
import io.metalforge.boot.internal.BootFixture;
import io.metalforge.boot.pxelinux.internal.PxelinuxBootMethod;

/**
 * Many transfers at once with the real curl client, as {@code bench/serve.sh} runs them (50 clients on one address),
 * and what keeps them apart: a client that sends its read request again because the answer was late (curl does after
 * six to seven seconds, which a loaded server can take) still gets one transfer, not two whose option acknowledgements
 * make curl restart its count of blocks; the per-client limit counts exactly the transfers under way.
 */
class ConcurrentTransfersTest {

    static final int CLIENTS = 50;

    @TempDir
    Path dir;
    BootFixture boot;
    byte[] data;
    String sha;
    final List<String> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        boot = new BootFixture(dir.resolve("data"), "10.0.2.100:5248").method(new PxelinuxBootMethod());
        data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        Files.write(boot.bootloaders.resolve("big.bin"), data);
        sha = sha(data);
    }

    @AfterEach
    void tearDown() {
        boot.close();
    }

    TftpServer start(BootFiles files) throws Exception {
        // the limits bench/serve.sh configures: 50 clients on one address fit under the per-client limit
        TftpServer server = new TftpServer(files, "127.0.0.1", 0, 128, 64, new TftpTransfer.Limits(65464, 64, 1000, 5),
                (m, e) -> errors.add(m + (e == null ? "" : ": " + e)));
        server.start();
        return server;
    }

    /**
     * The real boot service, with every answered transfer kept here (the service's own log keeps only the last few per
     * machine) and, when asked, a first lookup slower than a client waits before it repeats its request.
     */
    final class LoggedFiles implements BootFiles {
        final List<BootRequestRecord> records = new CopyOnWriteArrayList<>();
        final long firstLookupMillis;
        boolean firstDone;

        LoggedFiles(long firstLookupMillis) {
            this.firstLookupMillis = firstLookupMillis;
        }

        @Override
        public Optional<BootFile> resolve(String path, BootProtocol protocol, String client, String local) {
            synchronized (this) {
                if (!firstDone) {
                    firstDone = true;
                    try {
                        Thread.sleep(firstLookupMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return boot.service.resolve(path, protocol, client, local);
        }

        @Override
        public void record(BootRequestRecord request) {
            records.add(request);
            boot.service.record(request);
        }

        @Override
        public Map<String, List<BootRequestRecord>> recentRequests() {
            return boot.service.recentRequests();
        }
    }

    @Test
    void fiftyConcurrentCurlTransfersAllDeliverTheWholeFile() throws Exception {
        LoggedFiles files = new LoggedFiles(0);
        TftpServer server = start(files);
        try {
            assertEquals(List.of(), fetchConcurrently(server.port(), CLIENTS, 60));
            awaitNoTransfers(server);
            assertEquals(List.of(), errors);
            assertEquals(CLIENTS, files.records.size(), "one logged transfer per client: " + files.records);
            assertTrue(files.records.stream().allMatch(r -> r.status() == 200 && r.bytes() == data.length),
                    files.records.toString());
        } finally {
            server.stop();
        }
    }

    @Test
    void aRepeatedReadRequestDoesNotStartASecondTransfer() throws Exception {
        // the first lookup answers later than the client waits before it repeats its request (curl repeats after 6
        // to 7 s; this raw client after 0.3 s); the delay stands in for a server loaded with other transfers
        LoggedFiles files = new LoggedFiles(1500);
        TftpServer server = start(files);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] rrq = BootTftpServerTest.request("big.bin", "blksize", "1468", "timeout", "1");
            BootTftpServerTest.send(s, rrq, server.port());
            Thread.sleep(300);
            BootTftpServerTest.send(s, rrq, server.port());
            // without acknowledging, gather what arrives for 4 s: the OACK and its resendings after each 1 s timeout
            Set<Integer> senders = new HashSet<>();
            int oacks = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < end) {
                s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                DatagramPacket p;
                try {
                    p = BootTftpServerTest.receive(s);
                } catch (SocketTimeoutException e) {
                    break;
                }
                senders.add(p.getPort());
                oacks += p.getData()[1] == TftpPacket.OACK ? 1 : 0;
            }
            assertEquals(1, senders.size(), "packets came from one transfer port, not " + senders);
            assertTrue(oacks >= 2, "the OACK was sent and sent again: " + oacks);
            BootTftpServerTest.send(s, new byte[] { 0, 5, 0, 0, 'b', 'y', 'e', 0 }, senders.iterator().next());
            awaitNoTransfers(server);
            assertEquals(1, files.records.size(), "one transfer for the request and its repetition: " + files.records);
        } finally {
            server.stop();
        }
    }

    @Test
    void transfersBeyondThePerClientLimitAreRefusedUntilOneEnds() throws Exception {
        TftpServer server = new TftpServer(boot.service, "127.0.0.1", 0, 16, 2,
                new TftpTransfer.Limits(65464, 64, 1000, 5), (m, e) -> errors.add(m));
        server.start();
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[3];
            for (int i = 0; i < 3; i++) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                s.setSoTimeout(5000);
                sockets.add(s);
                BootTftpServerTest.send(s, BootTftpServerTest.request("big.bin", "tsize", "0"), server.port());
                DatagramPacket p = BootTftpServerTest.receive(s);
                ports[i] = p.getPort();
                if (i < 2) {
                    assertEquals(TftpPacket.OACK, p.getData()[1]);
                } else {
                    assertEquals(TftpPacket.ERROR, p.getData()[1]);
                    assertTrue(new String(p.getData(), 4, p.getLength() - 5, StandardCharsets.US_ASCII)
                            .contains("Too many transfers from this client"));
                }
            }
            assertEquals(2, server.transfersTo(InetAddress.getLoopbackAddress()));
            // the first client gives up: its slot is free again for the third
            BootTftpServerTest.send(sockets.get(0), new byte[] { 0, 5, 0, 0, 'b', 'y', 'e', 0 }, ports[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.transfersTo(InetAddress.getLoopbackAddress()) > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            BootTftpServerTest.send(sockets.get(2), BootTftpServerTest.request("big.bin", "tsize", "0"),
                    server.port());
            DatagramPacket admitted = BootTftpServerTest.receive(sockets.get(2));
            assertEquals(TftpPacket.OACK, admitted.getData()[1]);
            ports[2] = admitted.getPort();
            for (int i = 1; i < 3; i++) {
                BootTftpServerTest.send(sockets.get(i), new byte[] { 0, 5, 0, 0, 'b', 'y', 'e', 0 }, ports[i]);
            }
            awaitNoTransfers(server);
            assertEquals(List.of(), errors);
        } finally {
            sockets.forEach(DatagramSocket::close);
            server.stop();
        }
    }

    static void awaitNoTransfers(TftpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.transfersTo(InetAddress.getLoopbackAddress()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.transfersTo(InetAddress.getLoopbackAddress()), "transfers still counted");
    }

    /** Runs {@code n} curls at once; the failures, each with curl's exit code, output and the bytes it got. */
    List<String> fetchConcurrently(int port, int n, int seconds) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            processes.add(new ProcessBuilder("curl", "-sS", "--max-time", Integer.toString(seconds), "--tftp-blksize",
                    "1468", "-o", dir.resolve("out" + i).toString(), "tftp://127.0.0.1:" + port + "/big.bin")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log" + i).toFile()).start());
        }
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 10);
        for (int i = 0; i < n; i++) {
            Process p = processes.get(i);
            if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                processes.forEach(Process::destroyForcibly);
                throw new AssertionError("curl " + i + " did not finish");
            }
            Path out = dir.resolve("out" + i);
            byte[] got = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
            if (p.exitValue() != 0 || !sha.equals(sha(got))) {
                failures.add("transfer " + i + ": curl exit " + p.exitValue() + ", " + got.length + " of "
                        + data.length + " bytes: " + Files.readString(dir.resolve("log" + i), StandardCharsets.UTF_8));
            }
        }
        return failures;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
