package io.metalforge.boot.tftp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.commons.net.tftp.TFTP;
import org.apache.commons.net.tftp.TFTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.boot.internal.BootFixture;
import io.metalforge.boot.pxelinux.internal.PxelinuxBootMethod;

/**
 * The boot TFTP server on a loopback port over the real boot service, fetched from by the Debian clients (atftp,
 * tftp-hpa, curl, busybox), commons-net's TFTPClient, and a raw client for what those cannot do on purpose (lose an
 * ACK, ask for a window).
 */
class BootTftpServerTest {

    static final String MAC = "52:54:00:12:34:56";

    @TempDir
    static Path dir;
    static BootFixture boot;
    static TftpServer server;
    static byte[] loader;

    @BeforeAll
    static void setUp() throws Exception {
        boot = new BootFixture(dir.resolve("data"), "10.0.2.100:5248").method(new PxelinuxBootMethod());
        boot.image("ubuntu/noble", "amd64/ga-24.04", "stable", java.util.Map.of("boot-kernel", new byte[] { 1 },
                "boot-initrd", new byte[] { 2 }, "squashfs", new byte[] { 3 }));
        boot.targets.put(new BootTarget("abc123", "node1", MAC, "amd64/generic", BootIntent.XINSTALL, "ubuntu",
                "noble", ""));
        loader = new byte[512 * 700 + 123]; // more than 65536 blocks of 8 bytes would be too slow; this spans windows
        new Random(3).nextBytes(loader);
        Files.write(boot.bootloaders.resolve("lpxelinux.0"), loader);
        Files.write(boot.bootloaders.resolve("exact.bin"), Arrays.copyOf(loader, 512 * 4)); // ends with an empty block
        Files.writeString(dir.resolve("data/secret"), "SECRET");
        server = new TftpServer(boot.service, "127.0.0.1", 0, 16, 8,
                new TftpTransfer.Limits(65464, 64, 400, 5), (m, e) -> {
                    throw new AssertionError(m, e);
                });
        server.start();
    }

    @AfterAll
    static void tearDown() {
        server.stop();
        boot.close();
    }

    static String port() {
        return Integer.toString(server.port());
    }

    static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + List.of(cmd));
        }
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String out) {
    }

    void assertFetched(Path file, Result r) throws IOException {
        assertEquals(0, r.exit(), r.out());
        assertArrayEquals(loader, Files.readAllBytes(file), r.out());
    }

    @Test
    void atftpPlainBlksizeTsizeAndWindowsize() throws Exception {
        Path a = dir.resolve("atftp-plain");
        assertFetched(a, run("atftp", "-g", "-r", "lpxelinux.0", "-l", a.toString(), "127.0.0.1", port()));
        Path b = dir.resolve("atftp-opts");
        assertFetched(b, run("atftp", "--option", "blksize 1468", "--option", "tsize 0", "--verbose", "-g", "-r",
                "lpxelinux.0", "-l", b.toString(), "127.0.0.1", port()));
        Path c = dir.resolve("atftp-missing");
        Result missing = run("atftp", "-g", "-r", "no-such-file", "-l", c.toString(), "127.0.0.1", port());
        assertTrue(missing.exit() != 0 && missing.out().contains("File not found"), missing.out());
    }

    @Test
    void tftpHpaPlainAndMissing() throws Exception {
        Path a = dir.resolve("hpa");
        assertFetched(a, run("tftp", "-m", "binary", "127.0.0.1", port(), "-c", "get", "lpxelinux.0", a.toString()));
        Result missing = run("tftp", "-m", "binary", "127.0.0.1", port(), "-c", "get", "nothing-here",
                dir.resolve("hpa-missing").toString());
        assertTrue(missing.out().contains("File not found"), missing.out());
    }

    @Test
    void curlWithBlksizeAndTsizeConfigsAndMissing() throws Exception {
        Path a = dir.resolve("curl");
        assertFetched(a, run("curl", "-sS", "--max-time", "30", "--tftp-blksize", "1468", "-o", a.toString(),
                "tftp://127.0.0.1:" + port() + "/lpxelinux.0"));
        Path e = dir.resolve("curl-exact");
        Result exact = run("curl", "-sS", "--max-time", "30", "-o", e.toString(),
                "tftp://127.0.0.1:" + port() + "/exact.bin");
        assertEquals(0, exact.exit(), exact.out());
        assertArrayEquals(Arrays.copyOf(loader, 2048), Files.readAllBytes(e));
        Result cfg = run("curl", "-sS", "--max-time", "30", "tftp://127.0.0.1:" + port()
                + "/pxelinux.cfg/01-52-54-00-12-34-56");
        assertTrue(cfg.out().contains("KERNEL http://10.0.2.100:5248/images/"), cfg.out());
        // GRUB's *.lst are answered with an empty file (curl cannot take an empty TFTP file: atftp reads it)
        Path lstFile = dir.resolve("command.lst");
        Result lst = run("atftp", "-g", "-r", "grub/x86_64-efi/command.lst", "-l", lstFile.toString(), "127.0.0.1",
                port());
        assertEquals(0, lst.exit(), lst.out());
        assertEquals(0, Files.size(lstFile));
        Result unknown = run("curl", "-sS", "--max-time", "30", "tftp://127.0.0.1:" + port()
                + "/pxelinux.cfg/01-52-54-00-99-99-99");
        assertEquals(68, unknown.exit(), unknown.out());
        Result traversal = run("curl", "-sS", "--max-time", "30", "--path-as-is",
                "tftp://127.0.0.1:" + port() + "/../secret");
        assertEquals(68, traversal.exit(), traversal.out());
    }

    @Test
    void busyboxWithBlksize() throws Exception {
        Path a = dir.resolve("busybox");
        assertFetched(a, run("busybox", "tftp", "-g", "-b", "1468", "-r", "lpxelinux.0", "-l", a.toString(),
                "127.0.0.1", port()));
        Path b = dir.resolve("busybox-plain");
        assertFetched(b, run("busybox", "tftp", "-g", "-r", "lpxelinux.0", "-l", b.toString(), "127.0.0.1", port()));
    }

    @Test
    void commonsNetClient() throws Exception {
        TFTPClient client = new TFTPClient();
        client.setDefaultTimeout(java.time.Duration.ofSeconds(5));
        client.open();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.receiveFile("lpxelinux.0", TFTP.BINARY_MODE, out, InetAddress.getLoopbackAddress(),
                    server.port());
            assertArrayEquals(loader, out.toByteArray());
            IOException e = assertThrows(IOException.class, () -> client.receiveFile("missing.c32", TFTP.BINARY_MODE,
                    new ByteArrayOutputStream(), InetAddress.getLoopbackAddress(), server.port()));
            assertTrue(e.getMessage().contains("File not found"), e.getMessage());
        } finally {
            client.close();
        }
    }

    @Test
    void aLostAckMakesTheServerSendTheBlockAgain() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(5000);
            send(s, request("lpxelinux.0"), server.port());
            DatagramPacket first = receive(s);
            assertEquals(3, first.getData()[1]);
            assertEquals(1, block(first));
            // no ACK: the same block comes again from the same transfer port after the timeout (400 ms here)
            long t0 = System.nanoTime();
            DatagramPacket again = receive(s);
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, block(again));
            assertEquals(first.getPort(), again.getPort());
            assertTrue(waited >= 300, "sent again after " + waited + " ms");
            assertArrayEquals(Arrays.copyOfRange(loader, 0, 512), Arrays.copyOfRange(again.getData(), 4, 516));
            // acknowledging now continues with block 2
            send(s, new byte[] { 0, 4, 0, 1 }, again.getPort());
            assertEquals(2, block(receive(s)));
            send(s, new byte[] { 0, 5, 0, 0, 'b', 'y', 'e', 0 }, again.getPort()); // an error ends the transfer
        }
    }

    @Test
    void windowsizeSendsSeveralBlocksPerAck() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(5000);
            send(s, request("lpxelinux.0", "windowsize", "4", "blksize", "1024", "tsize", "0"), server.port());
            DatagramPacket oack = receive(s);
            assertEquals(6, oack.getData()[1]);
            String options = new String(oack.getData(), 2, oack.getLength() - 2, StandardCharsets.US_ASCII);
            assertEquals("blksize\u00001024\u0000tsize\u0000" + loader.length + "\u0000windowsize\u00004\u0000",
                    options, "OACK " + options);
            int port = oack.getPort();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            send(s, new byte[] { 0, 4, 0, 0 }, port);
            int expected = 1;
            int acks = 0;
            while (true) {
                DatagramPacket d = receive(s);
                assertEquals(expected, block(d));
                got.write(d.getData(), 4, d.getLength() - 4);
                boolean last = d.getLength() - 4 < 1024;
                if (last || expected % 4 == 0) {
                    send(s, new byte[] { 0, 4, (byte) (expected >> 8), (byte) expected }, port);
                    acks++;
                }
                if (last) {
                    break;
                }
                expected++;
            }
            assertArrayEquals(loader, got.toByteArray());
            assertEquals((loader.length / 1024 + 1 + 3) / 4, acks);
        }
    }

    @Test
    void aStoppedServerReleasesItsPortAtOnce() throws Exception {
        int port = server.port();
        server.stop();
        server = new TftpServer(boot.service, "127.0.0.1", port, 16, 8, new TftpTransfer.Limits(65464, 64, 400, 5),
                (m, e) -> {
                    throw new AssertionError(m, e);
                });
        server.start();
        Path a = dir.resolve("after-restart");
        assertFetched(a, run("busybox", "tftp", "-g", "-r", "lpxelinux.0", "-l", a.toString(), "127.0.0.1", port()));
    }

    @Test
    void writesAreRefused() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(5000);
            byte[] wrq = request("upload.bin");
            wrq[1] = 2;
            send(s, wrq, server.port());
            DatagramPacket e = receive(s);
            assertEquals(5, e.getData()[1]);
            assertEquals(2, e.getData()[3]);
        }
    }

    static byte[] request(String file, String... options) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(1);
        List<String> fields = new ArrayList<>(List.of(file, "octet"));
        fields.addAll(List.of(options));
        for (String f : fields) {
            b.writeBytes(f.getBytes(StandardCharsets.US_ASCII));
            b.write(0);
        }
        return b.toByteArray();
    }

    static void send(DatagramSocket s, byte[] data, int port) throws IOException {
        s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
    }

    static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[70000], 70000);
        s.receive(p);
        return p;
    }

    static int block(DatagramPacket p) {
        return ((p.getData()[2] & 0xff) << 8) | (p.getData()[3] & 0xff);
    }
}
