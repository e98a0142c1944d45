package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unauthenticated request whose body's first bytes came with its head is decided on the spot, through real
 * sockets on a real Jetty 12: a form whose first part is a file gets its 401 at once, and a small form that is all
 * there goes on, neither waiting for one of the few places for unauthenticated prefixes (the cap, 1 here, is held
 * by a trickling form throughout). Before, both took a place first and were answered 503 while the cap was full.
 */
class EarlyRefusalHttpTest {

    /** One place for unauthenticated prefixes, held by a trickler for up to 8 s. */
    static final BodyPolicy POLICY = new BodyPolicy(64 * 1024, 8_000, 1, BodyPolicy.DEFAULT.rate(),
            BodyPolicy.DEFAULT.spoolReserveBytes(), BodyPolicy.DEFAULT.drainMillis());

    @TempDir
    static Path data;

    static TestServer server;
    static ApiKey user;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(data, FormLimits.DEFAULT, POLICY);
        server.add(new ApiHttpTest.EchoHandler());
        server.users.createUser("dave", "dave@example.com", false);
        user = server.users.createKey("dave", "t").orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Connects and sends the request's head and {@code body} in one write, as one segment on loopback. */
    static Socket post(String contentType, long contentLength, byte[] body) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
        s.setSoTimeout(5_000);
        byte[] head = ("POST /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] both = new byte[head.length + body.length];
        System.arraycopy(head, 0, both, 0, head.length);
        System.arraycopy(body, 0, both, head.length, body.length);
        OutputStream out = s.getOutputStream();
        out.write(both);
        out.flush();
        return s;
    }

    static String answer(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void whatCameWithTheHeadIsDecidedWithoutAPlaceForPrefixes() throws Exception {
        // a form whose first part is a field: its prefix is read without a thread, holding the one place
        byte[] fieldFirst = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket trickler = post("multipart/form-data; boundary=B", 10_000_000, fieldFirst)) {
            Thread.sleep(300);
            // the place is taken: another such form is turned away
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            String second;
            do {
                try (Socket s = post("multipart/form-data; boundary=B", 10_000_000, fieldFirst)) {
                    second = answer(s);
                }
            } while (!second.startsWith("HTTP/1.1 503") && System.nanoTime() < end);
            assertTrue(second.startsWith("HTTP/1.1 503"), second);

            // an 8 MiB form whose first part is a file, its part's headers with the head: 401 and closed, at once
            MaasCliMultipart big = new MaasCliMultipart().file("content", new byte[8 << 20]);
            byte[] body = big.body();
            int headersEnd = new String(body, 0, 4096, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            for (int i = 0; i < 20; i++) {
                try (Socket s = post(big.contentType(), body.length, java.util.Arrays.copyOf(body, headersEnd))) {
                    String refused = answer(s);
                    assertTrue(refused.startsWith("HTTP/1.1 401"), refused);
                    assertTrue(refused.contains("Connection: close"), refused);
                    assertTrue(refused.endsWith("Authorization Required"), refused);
                }
            }

            // a small form signed in its own fields, all there with the head: served
            long now = System.currentTimeMillis() / 1000;
            String form = "oauth_consumer_key=" + user.consumerKey() + "&oauth_token=" + user.tokenKey()
                    + "&oauth_signature=%26" + user.secret() + "&oauth_signature_method=PLAINTEXT&oauth_timestamp="
                    + now + "&oauth_nonce=early" + System.nanoTime() + "&x=y";
            byte[] signed = form.getBytes(StandardCharsets.US_ASCII);
            try (Socket s = post("application/x-www-form-urlencoded", signed.length, signed)) {
                s.shutdownOutput();
                String ok = answer(s);
                assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
                assertTrue(ok.contains("\"user\":\"dave\"") || ok.contains("\"user\": \"dave\""), ok);
            }
            // and the same form unsigned is refused, still without a place
            byte[] unsigned = "x=y".getBytes(StandardCharsets.US_ASCII);
            try (Socket s = post("application/x-www-form-urlencoded", unsigned.length, unsigned)) {
                s.shutdownOutput();
                String refused = answer(s);
                assertTrue(refused.startsWith("HTTP/1.1 401"), refused);
            }
            // the trickler still holds its place, unanswered
            trickler.setSoTimeout(100);
            assertThrows(SocketTimeoutException.class, () -> trickler.getInputStream().read());
        }
    }
}
