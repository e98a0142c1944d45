package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.metalforge.api.http.ApiCredentials;

/**
 * python-libmaas 0.6.8 cannot be installed here (it is not in Debian and the machine has no PyPI access), so this
 * test replays the bytes it puts on the wire, written byte for byte as that client sends them, over a plain
 * {@link Socket} so that no Java HTTP client normalises a header or the body:
 * <ul>
 * <li>aiohttp's request line and headers (Host first, the client's headers, then aiohttp's Accept-Encoding and
 * User-Agent);</li>
 * <li>oauthlib's PLAINTEXT header with realm="OAuth" and the signature "&lt;consumer secret&gt;&amp;&lt;token
 * secret&gt;" percent-encoded, the consumer secret being empty, so {@code oauth_signature="%26<secret>"};</li>
 * <li>GET parameters in the query string; every other method a multipart/form-data body built by Python's email
 * package: a quoted boundary of "=" signs, each field a base64 part (wrapped at 76 columns) with MIME-Version,
 * Content-Transfer-Encoding, Content-Disposition and a trailing text/plain Content-Type, CRLF line ends, no final
 * CRLF; a POST without parameters is exactly {@code --B\r\n\r\n--B--}.</li>
 * </ul>
 * The bodies below were produced with Python 3's email generator driven as libmaas drives it
 * (maas.client.utils.multipart), with a fixed boundary in place of the random one.
 */
class PythonLibmaasReplayTest {

    static final String MAC = "52:54:00:6c:69:62";
    static final String BOUNDARY = "===============5236514367012958013==";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=\"" + BOUNDARY + "\"";

    /** client.machines.allocate(hostname="web1"): libmaas sends the hostname as MAAS's "name". */
    static final String ALLOCATE_BODY = "--" + BOUNDARY + "\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: form-data; name=\"name\"\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=\"utf-8\"\r\n"
            + "\r\n"
            + "d2ViMQ==\r\n"
            + "\r\n"
            + "--" + BOUNDARY + "--";

    /** The user-data libmaas is given; it base64-encodes it before the form encodes it again. */
    static final String USER_DATA = "#cloud-config\nruncmd: [touch, /etc/deployed-by-libmaas]\n";

    /** machine.deploy(distro_series="custom/golden", user_data=USER_DATA bytes). */
    static final String DEPLOY_BODY = "--" + BOUNDARY + "\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: form-data; name=\"distro_series\"\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=\"utf-8\"\r\n"
            + "\r\n"
            + "Y3VzdG9tL2dvbGRlbg==\r\n"
            + "\r\n"
            + "--" + BOUNDARY + "\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: form-data; name=\"user_data\"\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=\"utf-8\"\r\n"
            + "\r\n"
            + "STJOc2IzVmtMV052Ym1acFp3cHlkVzVqYldRNklGdDBiM1ZqYUN3Z0wyVjBZeTlrWlhCc2IzbGxa\r\n"
            + "QzFpZVMxc2FXSnRZV0Z6WFFvPQ==\r\n"
            + "\r\n"
            + "--" + BOUNDARY + "--";

    /** machine.release() with its defaults: no parameter at all. */
    static final String EMPTY_BODY = "--" + BOUNDARY + "\r\n\r\n--" + BOUNDARY + "--";

    @TempDir
    Path dir;

    MachinesPlatform p;

    @BeforeEach
    void start() throws Exception {
        p = new MachinesPlatform(dir);
        p.uploadCustom("golden", "ubuntu/jammy", "root-tgz");
    }

    @AfterEach
    void stop() throws Exception {
        p.close();
    }

    /** oauthlib's PLAINTEXT Authorization header, as libmaas's signer makes it (realm first, signature last). */
    static String oauthlib(ApiKey key, String tokenSecret, long nonce) {
        return "OAuth realm=\"OAuth\", oauth_nonce=\"" + nonce + "\", oauth_timestamp=\""
                + (System.currentTimeMillis() / 1000) + "\", oauth_version=\"1.0\", "
                + "oauth_signature_method=\"PLAINTEXT\", oauth_consumer_key=\"" + key.consumerKey()
                + "\", oauth_token=\"" + key.tokenKey() + "\", oauth_signature=\"%26" + tokenSecret + "\"";
    }

    String get(String target, String authorization) {
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + p.port + "\r\n"
                + "Authorization: " + authorization + "\r\n"
                + "Accept: application/json\r\n"
                + "Accept-Encoding: gzip, deflate\r\n"
                + "User-Agent: Python/3.12 aiohttp/3.9.1\r\n"
                + "\r\n";
    }

    String post(String target, String authorization, String body) {
        return "POST " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + p.port + "\r\n"
                + "Content-Type: " + CONTENT_TYPE + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.US_ASCII).length + "\r\n"
                + "Authorization: " + authorization + "\r\n"
                + "Accept: application/json\r\n"
                + "Accept-Encoding: gzip, deflate\r\n"
                + "User-Agent: Python/3.12 aiohttp/3.9.1\r\n"
                + "\r\n"
                + body;
    }

    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            assertTrue(headers.getOrDefault("content-type", "").startsWith("application/json"), toString());
            return MachinesPlatform.JSON.readTree(body);
        }
    }

    /** Sends the bytes as they are and reads one HTTP/1.1 response (Content-Length or chunked). */
    Reply replay(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", p.port), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            assertTrue(statusLine.startsWith("HTTP/1.1 "), statusLine);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new TreeMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            assertFalse(headers.containsKey("content-encoding"), "aiohttp would inflate it; none expected here");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
            } else {
                body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
            }
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-line after '" + b + "'");
            }
            if (c != '\r') {
                b.append((char) c);
            }
            if (b.length() > 16_384) {
                throw new IOException("response line too long");
            }
        }
        return b.toString();
    }

    /** What libmaas's Machine object reads from a machine's JSON, with the types it expects. */
    static void assertLibmaasMachine(JsonNode m) {
        for (String text : List.of("system_id", "hostname", "fqdn", "status_name", "architecture", "power_type",
                "power_state", "node_type_name", "resource_uri")) {
            assertTrue(m.path(text).isTextual(), text + " is a string in " + m);
        }
        for (String nullableText : List.of("status_message", "osystem", "distro_series", "hwe_kernel", "owner")) {
            assertTrue(m.has(nullableText) && (m.get(nullableText).isTextual() || m.get(nullableText).isNull()),
                    nullableText + " in " + m);
        }
        for (String number : List.of("status", "memory", "cpu_count", "node_type")) {
            assertTrue(m.path(number).isIntegralNumber(), number + " is an integer in " + m);
        }
        assertTrue(m.path("netboot").isBoolean(), m.toString());
        assertTrue(m.path("locked").isBoolean(), m.toString());
        assertTrue(m.path("interface_set").isArray() && m.get("interface_set").size() == 1, m.toString());
        assertEquals(MAC, m.get("interface_set").get(0).get("mac_address").asText());
        assertTrue(m.path("boot_interface").isObject(), m.toString());
        assertTrue(m.path("ip_addresses").isArray(), m.toString());
        assertTrue(m.path("tag_names").isArray(), m.toString());
        assertTrue(m.path("owner_data").isObject(), m.toString());
        assertTrue(m.path("zone").path("name").isTextual(), "Machine.zone is an object with a name: " + m);
        assertTrue(m.path("pool").path("name").isTextual(), "Machine.pool is an object with a name: " + m);
        assertTrue(m.path("domain").path("name").isTextual(), "Machine.domain is an object with a name: " + m);
    }

    @Test
    void libmaasListsAllocatesDeploysAndReleasesAMachine() throws Exception {
        String id = p.readyMachine("web1", MAC);
        long nonce = 94_851_302_717_463_000L;
        String secret = p.alice.secret();

        // client.machines.list()
        Reply list = replay(get("/MAAS/api/2.0/machines/", oauthlib(p.alice, secret, ++nonce)));
        assertEquals(200, list.status(), list.body());
        JsonNode machines = list.json();
        assertEquals(1, machines.size());
        JsonNode ready = machines.get(0);
        assertLibmaasMachine(ready);
        assertEquals(id, ready.get("system_id").asText());
        assertEquals("web1", ready.get("hostname").asText());
        assertEquals(4, ready.get("status").asInt());
        assertEquals("Ready", ready.get("status_name").asText());
        assertTrue(ready.get("owner").isNull());
        assertEquals("/MAAS/api/2.0/machines/" + id + "/", ready.get("resource_uri").asText());

        // client.machines.list(hostnames=["web1"]) and one that matches nothing: filters in the query string
        assertEquals(1, replay(get("/MAAS/api/2.0/machines/?hostname=web1", oauthlib(p.alice, secret, ++nonce)))
                .json().size());
        assertEquals(0, replay(get("/MAAS/api/2.0/machines/?hostname=web2", oauthlib(p.alice, secret, ++nonce)))
                .json().size());

        // client.machines.allocate(hostname="web1")
        Reply allocate = replay(post("/MAAS/api/2.0/machines/?op=allocate", oauthlib(p.alice, secret, ++nonce),
                ALLOCATE_BODY));
        assertEquals(200, allocate.status(), allocate.body());
        JsonNode allocated = allocate.json();
        assertLibmaasMachine(allocated);
        assertEquals(id, allocated.get("system_id").asText());
        assertEquals(10, allocated.get("status").asInt());
        assertEquals("Allocated", allocated.get("status_name").asText());
        assertEquals("alice", allocated.get("owner").asText());

        // the same deploy signed with a wrong token secret is refused and changes nothing
        Reply forged = replay(post("/MAAS/api/2.0/machines/" + id + "/?op=deploy",
                oauthlib(p.alice, "not" + secret.substring(3), ++nonce), DEPLOY_BODY));
        assertEquals(401, forged.status(), forged.body());
        assertEquals("Allocated", p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText());

        // machine.deploy(distro_series="custom/golden", user_data=...)
        Reply deploy = replay(post("/MAAS/api/2.0/machines/" + id + "/?op=deploy", oauthlib(p.alice, secret,
                ++nonce), DEPLOY_BODY));
        assertEquals(200, deploy.status(), deploy.body());
        JsonNode deploying = deploy.json();
        assertLibmaasMachine(deploying);
        assertEquals(9, deploying.get("status").asInt());
        assertEquals("Deploying", deploying.get("status_name").asText());
        assertEquals("custom", deploying.get("osystem").asText());
        assertEquals("golden", deploying.get("distro_series").asText());
        assertEquals("alice", deploying.get("owner").asText());
        // the user-data came through both base64 layers (the form's, wrapped at 76 columns, and libmaas's)
        // (read back as the installed system reads it, with the node token the preseed hands out)
        ApiCredentials node = MachineLifecycleHttpTest.credentials(p.send(HttpRequest.newBuilder(URI.create(
                p.base() + "/MAAS/metadata/latest/by-id/" + id + "/?op=get_preseed")).GET()).body());
        HttpResponse<String> installed = p.send(HttpRequest.newBuilder(URI.create(p.base()
                + "/MAAS/metadata/latest/user-data")).header("Authorization", p.sign(node, true)).GET());
        assertEquals(200, installed.statusCode(), installed.body());
        assertEquals(USER_DATA, installed.body());
        assertEquals("Deployed", replay(get("/MAAS/api/2.0/machines/" + id + "/", oauthlib(p.alice, secret,
                ++nonce))).json().get("status_name").asText());

        // machine.release()
        Reply release = replay(post("/MAAS/api/2.0/machines/" + id + "/?op=release", oauthlib(p.alice, secret,
                ++nonce), EMPTY_BODY));
        assertEquals(200, release.status(), release.body());
        JsonNode releasing = release.json();
        assertLibmaasMachine(releasing);
        assertTrue(List.of("Releasing", "Ready").contains(releasing.get("status_name").asText()), releasing
                .toString());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode after = releasing;
        while (System.nanoTime() < end && !after.get("status_name").asText().equals("Ready")) {
            Thread.sleep(20);
            after = replay(get("/MAAS/api/2.0/machines/" + id + "/", oauthlib(p.alice, secret, ++nonce))).json();
        }
        assertEquals(4, after.get("status").asInt(), after.toString());
        assertTrue(after.get("owner").isNull(), after.toString());

        // release of a machine that does not exist: MAAS's 404
        assertEquals(404, replay(post("/MAAS/api/2.0/machines/nope99/?op=release", oauthlib(p.alice, secret,
                ++nonce), EMPTY_BODY)).status());
    }
}
