package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redirects, ranges and statuses as the sync sees them, from a real socket. */
class HttpFetcherTest {

    private final HttpFetcher fetcher = new HttpFetcher("", Duration.ofSeconds(5), Duration.ofSeconds(5));
    private ScriptedHttpServer server;

    @AfterEach
    void stop() throws IOException {
        fetcher.closeIdle();
        if (server != null) {
            server.close();
        }
    }

    /** Answers each request by its path: {@code /to/N} redirects to {@code /to/N+1}, anything else is named. */
    private void serve(java.util.function.Function<String, String> answers) throws IOException {
        server = new ScriptedHttpServer((n, w) -> {
            for (String head; (head = w.request()) != null;) {
                w.send(answers.apply(head.substring(4, head.indexOf(' ', 4))));
            }
        });
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String redirect(String location) {
        return "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void aRelativeRedirectIsFollowed() throws Exception {
        serve(path -> path.equals("/daily/index.json") ? redirect("../stable/index.json") : ok(path));
        assertEquals("/stable/index.json",
                new String(fetcher.fetchSmall(server.url("/daily/index.json")), StandardCharsets.UTF_8));
    }

    @Test
    void moreThanFiveRedirectsFail() throws Exception {
        serve(path -> redirect("/to/" + (Integer.parseInt(path.substring(4)) + 1)));
        HttpFetcher.HttpStatusException e = assertThrows(HttpFetcher.HttpStatusException.class,
                () -> fetcher.fetchSmall(server.url("/to/0")));
        assertEquals(302, e.status);
        assertEquals(6, server.heads.size());
    }

    @Test
    void aRedirectToAFileUrlIsRefused() throws Exception {
        serve(path -> redirect("file:///etc/passwd"));
        HttpFetcher.HttpStatusException e = assertThrows(HttpFetcher.HttpStatusException.class,
                () -> fetcher.fetchSmall(server.url("/x")));
        assertEquals(302, e.status);
    }

    @Test
    void aResumeTheServerAnswersAtAnotherOffsetFails() throws Exception {
        serve(path -> "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/10\r\nContent-Length: 10\r\n\r\n"
                + "0123456789");
        IOException e = assertThrows(IOException.class, () -> fetcher.open(server.url("/f"), 4));
        assertTrue(e.getMessage().endsWith("server answered range 0 for 4"), e.getMessage());
    }

    @Test
    void aResumeFromAByteTheServerHasIsRangedAndOneBeyondItsEndStartsOver() throws Exception {
        serve(path -> path.equals("/f")
                ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/10\r\nContent-Length: 6\r\n\r\n456789"
                : "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10\r\nContent-Length: 0\r\n\r\n");
        HttpFetcher.Opened opened = fetcher.open(server.url("/f"), 4);
        assertEquals(4, opened.offset());
        assertEquals(10, opened.totalLength());
        try (InputStream in = opened.body()) {
            assertEquals("456789", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(server.heads.get(0).contains("\r\nRange: bytes=4-\r\n"), server.heads.get(0));
        assertEquals(-1, fetcher.open(server.url("/g"), 12).offset());
    }

    @Test
    void clientErrorsArePermanentAndServerErrorsAreNot() throws Exception {
        serve(path -> "HTTP/1.1 " + path.substring(1) + " X\r\nContent-Length: 0\r\n\r\n");
        HttpFetcher.HttpStatusException notFound = assertThrows(HttpFetcher.HttpStatusException.class,
                () -> fetcher.open(server.url("/404"), 0));
        assertTrue(notFound.permanent());
        assertTrue(notFound.getMessage().endsWith("failed: 404 Not Found"), notFound.getMessage());
        assertFalse(assertThrows(HttpFetcher.HttpStatusException.class, () -> fetcher.open(server.url("/503"), 0))
                .permanent());
        assertFalse(assertThrows(HttpFetcher.HttpStatusException.class, () -> fetcher.open(server.url("/429"), 0))
                .permanent());
    }
}
