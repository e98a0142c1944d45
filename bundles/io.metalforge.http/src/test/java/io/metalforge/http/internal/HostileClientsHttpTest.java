package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Clients that want to stall or fill the service without credentials, through real sockets on loopback against a
 * real Jetty 12 with its default pool (200 threads): trickling bodies, floods of large forms, form-carried OAuth.
 */
class HostileClientsHttpTest {

    @TempDir
    static Path data;

    static TestServer server;
    static ApiKey user;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(data, FormLimits.DEFAULT);
        // as the distribution sets org.apache.felix.http.timeout, shorter: a connection that sends nothing at all
        // is ended by the connector's idle timeout, the one bound a blocked read obeys
        server.connector.setIdleTimeout(5_000);
        server.add(new ApiHttpTest.EchoHandler());
        server.users.createUser("bob", "bob@example.com", false);
        user = server.users.createKey("bob", "t").orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** p99 in milliseconds of {@code n} signed whoami requests, each of which must answer 200. */
    static long signedP99(int n) throws Exception {
        long[] millis = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = server.get("users/?op=whoami", user);
            millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(200, r.statusCode(), r.body());
        }
        Arrays.sort(millis);
        return millis[(int) Math.ceil(n * 0.99) - 1];
    }

    /** Opens a connection that sends the head of a large unauthenticated body, then one byte per interval. */
    static Socket trickler(String method, String contentType) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
        s.setSoTimeout(15_000);
        OutputStream out = s.getOutputStream();
        out.write((method + " /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: 10000000\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** The status of the answer on a socket, or -1 when the server closed it without one. */
    static int status(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, 12);
            String line = new String(head, 0, n, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Test
    void signedRequestsKeepTheirPaceWhile300UnauthenticatedClientsTrickle() throws Exception {
        signedP99(50); // warm up
        long baseline = signedP99(100);
        List<Socket> sockets = new ArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        ExecutorService pump = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 300; i++) {
                String[] kind = switch (i % 3) {
                case 0 -> new String[] { "POST", "multipart/form-data; boundary=B" };
                case 1 -> new String[] { "POST", "application/x-www-form-urlencoded" };
                default -> new String[] { "PUT", "application/octet-stream" };
                };
                sockets.add(trickler(kind[0], kind[1]));
            }
            // one byte per connection every 200 ms, for at most 15 s, on one thread
            Future<?> pumping = pump.submit(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (trickling.get() && System.nanoTime() < end) {
                    for (Socket s : sockets) {
                        try {
                            s.getOutputStream().write('x');
                        } catch (IOException e) {
                            // answered and closed: the server is done with it
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(500);
            long loaded = signedP99(100);
            // the bound allows for the two shared cores this runs on; stalled workers would mean timeouts
            assertTrue(loaded <= 2 * baseline + 250, "signed p99 " + loaded + " ms under trickling, "
                    + baseline + " ms unloaded");
            trickling.set(false);
            pumping.get(20, TimeUnit.SECONDS);
            // every trickler got an answer without sending its body: 401, or 503 beyond the unauthenticated
            // readers, or 408 when its prefix did not arrive in time
            Map<Integer, Integer> answers = new ConcurrentHashMap<>();
            for (Socket s : sockets) {
                answers.merge(status(s), 1, Integer::sum);
            }
            assertTrue(answers.keySet().stream().allMatch(c -> c == 401 || c == 503 || c == 408), answers.toString());
            assertTrue(answers.getOrDefault(401, 0) + answers.getOrDefault(503, 0) >= 250,
                    "the raw and over-the-cap ones at once: " + answers);
        } finally {
            trickling.set(false);
            pump.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void unauthenticatedFloodsSpoolNothingAndHoldNoMemory() throws Exception {
        // the clients are curl processes, so the heap measured here is the server's alone
        MaasCliMultipart big = new MaasCliMultipart().field("name", "x".repeat(900_000))
                .file("content", new byte[4 << 20]);
        Path bodyFile = data.resolve("flood.body");
        Files.write(bodyFile, big.body());
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        List<Process> clients = new ArrayList<>();
        boolean spooled = false;
        try {
            for (int i = 0; i < 48; i++) {
                clients.add(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "30",
                        "-H", "Content-Type: " + big.contentType(), "-H", "Expect:", "--data-binary",
                        "@" + bodyFile, server.uri("echo/1/").toString()).redirectErrorStream(true).start());
            }
            for (Process p : clients) {
                Path spool = data.resolve("spool");
                if (Files.isDirectory(spool)) {
                    try (var files = Files.list(spool)) {
                        spooled |= files.findAny().isPresent();
                    }
                }
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl ended");
                String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                // 000: the server closed a connection whose body it would not read before curl finished sending
                assertTrue(List.of("401", "503", "000").contains(status), "status " + status);
            }
        } finally {
            clients.forEach(Process::destroyForcibly);
        }
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertTrue(!spooled, "no file part of an unauthenticated request reaches the disk");
        assertTrue(after - before < 32L << 20, "heap grew by " + ((after - before) >> 20) + " MiB");
        // and the service still answers its clients
        assertEquals(200, server.get("users/?op=whoami", user).statusCode());
    }

    @Test
    void aBodyThatEndsEarlyIs400AndExpectedFaultsAreLoggedOnceWithoutTraces() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /MAAS/api/2.0/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + server.sign(user)
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            s.shutdownOutput(); // the client gives up after 1000 of 100000 bytes
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.endsWith("The request body ended before it was complete (the client closed the "
                    + "connection or stopped sending); nothing of it was kept."), answer);
        }
        Thread.sleep(FaultAnswers.QUIET_MILLIS / 10);
        int before = server.log.size();
        for (int i = 0; i < 30; i++) {
            assertEquals(401, server.get("users/?op=whoami", null).statusCode());
            assertEquals(401, server.get("users/?op=whoami", new ApiKey(user.consumerKey(), user.tokenKey(), "bad"))
                    .statusCode());
        }
        List<String> added = new ArrayList<>(server.log).subList(before, server.log.size());
        assertTrue(added.size() <= 1, "60 refusals from one address, at most one line: " + added);
        for (String line : server.log) {
            assertTrue(!line.contains("\n") && !line.contains("\tat ") && !line.startsWith("ERROR"), line);
        }
    }

    @Test
    void formCarriedOAuthStillWorksWithinThePrefix() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        byte[] file = new byte[300_000];
        new java.util.Random(3).nextBytes(file);
        MaasCliMultipart signed = new MaasCliMultipart().field("oauth_consumer_key", user.consumerKey())
                .field("oauth_token", user.tokenKey()).field("oauth_signature", "&" + user.secret())
                .field("oauth_signature_method", "PLAINTEXT").field("oauth_timestamp", Long.toString(now))
                .field("oauth_nonce", "form" + System.nanoTime()).file("keyring_data", file);
        HttpResponse<String> ok = server.send(HttpRequest.newBuilder(server.uri("echo/2/"))
                .header("Content-Type", signed.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(signed.body())));
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode echo = JSON.readTree(ok.body());
        assertEquals("bob", echo.get("user").asText());
        assertEquals(300_000, echo.get("files").get("keyring_data").get("size").asLong());

        String form = "oauth_consumer_key=" + user.consumerKey() + "&oauth_token=" + user.tokenKey()
                + "&oauth_signature=%26" + user.secret() + "&oauth_signature_method=PLAINTEXT&oauth_timestamp=" + now
                + "&oauth_nonce=u" + System.nanoTime() + "&x=" + "y".repeat(100_000);
        HttpResponse<String> urlencoded = server.send(HttpRequest.newBuilder(server.uri("echo/2/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertEquals(200, urlencoded.statusCode(), urlencoded.body());
        assertEquals(100_000, JSON.readTree(urlencoded.body()).get("params").get("x").get(0).asText().length());

        // without them, the first file part ends the request with 401, unread
        MaasCliMultipart unsigned = new MaasCliMultipart().field("name", "n").file("keyring_data", file);
        HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.uri("echo/2/"))
                .header("Content-Type", unsigned.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(unsigned.body())));
        assertEquals(401, refused.statusCode());
        assertEquals("Authorization Required", refused.body());
        HttpResponse<String> longForm = server.send(HttpRequest.newBuilder(server.uri("echo/2/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=" + "y".repeat(100_000))));
        assertEquals(401, longForm.statusCode());
    }
}
