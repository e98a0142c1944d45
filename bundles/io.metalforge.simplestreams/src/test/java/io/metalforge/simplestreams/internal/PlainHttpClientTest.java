package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sync's http client against a real socket whose answers are written byte for byte. */
class PlainHttpClientTest {

    private static final int TIMEOUT = 5000;

    private ScriptedHttpServer server;
    private PlainHttpClient client = new PlainHttpClient(null);

    @AfterEach
    void stop() throws IOException {
        client.closeIdle();
        if (server != null) {
            server.close();
            assertTrue(server.failures.isEmpty(), server.failures.toString());
        }
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private String fetch(String path, long offset) throws IOException {
        PlainHttpClient.Answer a = client.get(server.url(path), offset, TIMEOUT, TIMEOUT);
        try (InputStream in = a.body()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Answers every request on a connection with {@code answer}, until the client closes it. */
    private void serveEvery(String answer) throws IOException {
        server = new ScriptedHttpServer((n, w) -> {
            while (w.request() != null) {
                w.send(answer);
            }
        });
    }

    /** The failure a fresh client meets on {@code answer}, from a server of its own. */
    private IOException failureOf(String answer) throws IOException {
        if (server != null) {
            stop();
            client = new PlainHttpClient(null);
        }
        server = new ScriptedHttpServer((n, w) -> {
            w.request();
            w.send(answer);
        });
        return assertThrows(IOException.class, () -> fetch("/x", 0));
    }

    @Test
    void aConnectionReadToItsEndCarriesTheNextRequest() throws Exception {
        serveEvery(ok("hello"));
        assertEquals("hello", fetch("/a/b%20c?x=1", 0));
        assertEquals(1, client.idleConnections());
        assertEquals("hello", fetch("/d", 7));
        assertEquals(1, server.accepted.get());
        String first = server.heads.get(0);
        assertTrue(first.startsWith("GET /a/b%20c?x=1 HTTP/1.1\r\n"), first);
        assertTrue(first.contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), first);
        assertTrue(!first.contains("Range"), first);
        assertTrue(server.heads.get(1).contains("\r\nRange: bytes=7-\r\n"), server.heads.get(1));
    }

    @Test
    void aChunkedBodyIsReadWholeWithItsExtensionsAndTrailersSkipped() throws Exception {
        serveEvery("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n");
        PlainHttpClient.Answer a = client.get(server.url("/c"), 0, TIMEOUT, TIMEOUT);
        assertEquals(-1, a.contentLength());
        try (InputStream in = a.body()) {
            assertEquals("hello world", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        assertEquals("hello world", fetch("/c", 0));
        assertEquals(1, server.accepted.get(), "the connection is reused after the last chunk");
    }

    @Test
    void anHttp10BodyRunsUntilTheConnectionClosesAndTheConnectionIsNotKept() throws Exception {
        server = new ScriptedHttpServer((n, w) -> {
            w.request();
            w.send("HTTP/1.0 200 OK\r\n\r\nuntil the end");
        });
        assertEquals("until the end", fetch("/x", 0));
        assertEquals("until the end", fetch("/x", 0));
        assertEquals(2, server.accepted.get());
        assertEquals(0, client.idleConnections());
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        serveEvery("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok");
        assertEquals("ok", fetch("/x", 0));
        assertEquals(0, client.idleConnections());
    }

    @Test
    void interimAnswersAreSkipped() throws Exception {
        serveEvery("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ok("final"));
        PlainHttpClient.Answer a = client.get(server.url("/x"), 0, TIMEOUT, TIMEOUT);
        assertEquals(200, a.status());
        assertEquals("5", a.header("Content-length"));
        a.discard();
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedOnce() throws Exception {
        server = new ScriptedHttpServer((n, w) -> {
            w.request();
            w.send(ok("one"));
            // then closed: the client holds it as idle and finds out on its next request
        });
        assertEquals("one", fetch("/x", 0));
        Thread.sleep(100);
        assertEquals("one", fetch("/x", 0));
        assertEquals(2, server.accepted.get());
    }

    @Test
    void aBodyShortOfItsContentLengthFailsRatherThanLookingWhole() throws Exception {
        IOException e = failureOf("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd");
        assertTrue(e instanceof EOFException, e.toString());
        assertEquals("The connection closed after 4 of 10 bytes", e.getMessage());
        assertEquals(0, client.idleConnections());
    }

    @Test
    void aChunkedBodyCutShortFails() throws Exception {
        IOException e = failureOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
        assertTrue(e.getMessage().startsWith("The connection closed"), e.getMessage());
    }

    @Test
    void anAnswerWithoutAHeadFailsClearly() throws Exception {
        server = new ScriptedHttpServer((n, w) -> w.request()); // closes without a byte
        IOException e = assertThrows(IOException.class, () -> fetch("/x", 0));
        assertEquals("The server closed the connection without an answer", e.getMessage());
    }

    @Test
    void hostileOrMalformedHeadsFailWithAClearError() throws Exception {
        assertEquals("Not an HTTP/1.x answer: SSH-2.0-OpenSSH_9.2",
                failureOf("SSH-2.0-OpenSSH_9.2\r\n\r\n").getMessage());
        assertEquals("Not an HTTP/1.x answer: HTTP/1.1 2x0 OK", failureOf("HTTP/1.1 2x0 OK\r\n\r\n").getMessage());
        assertEquals("HTTP answer with a line longer than 8192 bytes",
                failureOf("HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000) + "\r\n\r\n").getMessage());
        assertEquals("HTTP answer with more than 100 header fields",
                failureOf("HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n").getMessage());
        assertEquals("HTTP answer with two different Content-Length fields",
                failureOf("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab").getMessage());
        assertEquals("Malformed Content-Length: -5",
                failureOf("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n").getMessage());
        assertEquals("Malformed HTTP header field: no colon",
                failureOf("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").getMessage());
        assertEquals("Malformed chunk size: zz?",
                failureOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\u0001\r\n").getMessage());
        assertEquals("Malformed chunked body: no line end after a chunk", failureOf(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXX\r\n0\r\n\r\n").getMessage());
        assertEquals("Unexpected HTTP answer 101 to a GET",
                failureOf("HTTP/1.1 101 Switching Protocols\r\n\r\n").getMessage());
    }

    /** A server that sends {@code answer}, then nothing more until {@code release} completes. */
    private void stallAfter(String answer, CompletableFuture<Void> release) throws IOException {
        server = new ScriptedHttpServer((n, w) -> {
            w.request();
            w.send(answer);
            release.get(10, TimeUnit.SECONDS);
        });
    }

    @Test
    void aStalledBodyEndsAfterTheReadTimeout() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc", release);
        PlainHttpClient.Answer a = client.get(server.url("/x"), 0, TIMEOUT, 300);
        byte[] buf = new byte[100];
        InputStream in = a.body();
        assertEquals(3, in.read(buf, 0, 100));
        long t0 = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> in.read(buf, 0, 100));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 250 && waited < 3000, waited + " ms");
        in.close();
        release.complete(null);
        assertEquals(0, client.idleConnections());
    }

    @Test
    void closingFromAnotherThreadEndsABlockedReadAtOnce() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", release);
        PlainHttpClient.Answer a = client.get(server.url("/x"), 0, TIMEOUT, 60_000);
        InputStream in = a.body();
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                in.read(new byte[100], 0, 100);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(200);
        in.close();
        Throwable t = reader.get(3, TimeUnit.SECONDS);
        assertTrue(t instanceof IOException, String.valueOf(t));
        release.complete(null);
    }

    @Test
    void throughAProxyTheRequestNamesTheWholeUrl() throws Exception {
        serveEvery(ok("via proxy"));
        client = new PlainHttpClient(server.address());
        PlainHttpClient.Answer a = client.get(java.net.URI.create("http://images.example.invalid/v1/index.json"),
                0, TIMEOUT, TIMEOUT);
        try (InputStream in = a.body()) {
            assertEquals("via proxy", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        String head = server.heads.get(0);
        assertTrue(head.startsWith("GET http://images.example.invalid/v1/index.json HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nHost: images.example.invalid\r\n"), head);
    }

    @Test
    void closingTheClientClosesItsIdleConnections() throws Exception {
        CompletableFuture<Boolean> sawEnd = new CompletableFuture<>();
        server = new ScriptedHttpServer((n, w) -> {
            w.request();
            w.send(ok("x"));
            sawEnd.complete(w.request() == null);
        });
        assertEquals("x", fetch("/x", 0));
        assertEquals(1, client.idleConnections());
        client.closeIdle();
        assertEquals(0, client.idleConnections());
        assertTrue(sawEnd.get(3, TimeUnit.SECONDS));
    }
}
