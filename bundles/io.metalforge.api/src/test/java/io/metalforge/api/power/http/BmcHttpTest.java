package io.metalforge.api.power.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.metalforge.api.power.PowerFailure;

/** The HTTP helper of power drivers against a real HTTPS server on loopback with a BMC-style certificate. */
class BmcHttpTest {

    @TempDir
    Path dir;

    @Test
    void trustingClientReachesASelfSignedBmcAndTheVerifyingOneRefusesIt() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(SelfSignedKeystore.serverContext(dir)));
        byte[] big = "x".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.sendResponseHeaders("Basic bWFhczpww6Rzcw==".equals(auth) ? 200 : 401, big.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(big);
            }
        });
        server.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/redfish/v1/");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Authorization", BmcHttp.basicAuthorization("maas", "päss")).build();
            HttpClient trusting = BmcHttp.trustingClient(Duration.ofSeconds(5), HttpClient.Redirect.NEVER);
            HttpResponse<InputStream> answer = BmcHttp.send(trusting, request, "query", Duration.ofSeconds(5));
            assertEquals(200, answer.statusCode());
            assertEquals(100, BmcHttp.readBounded(answer, 100, "query").length);

            HttpClient verifying = BmcHttp.verifyingClient(Duration.ofSeconds(5), HttpClient.Redirect.NEVER);
            PowerFailure refused = assertThrows(PowerFailure.class,
                    () -> BmcHttp.send(verifying, request, "query", Duration.ofSeconds(5)));
            assertEquals(PowerFailure.Kind.CONNECTION, refused.kind());
            assertTrue(refused.getMessage().startsWith("Could not contact node's BMC: query: SSLHandshakeException"),
                    refused.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSilentBmcIsAConnectionFailureNamingTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .timeout(Duration.ofSeconds(1)).build();
            PowerFailure failure = assertThrows(PowerFailure.class, () -> BmcHttp.send(
                    BmcHttp.trustingClient(Duration.ofSeconds(2), HttpClient.Redirect.NEVER), request,
                    "power_query_uri", Duration.ofSeconds(1)));
            assertEquals(PowerFailure.Kind.CONNECTION, failure.kind());
            assertEquals("Could not contact node's BMC: power_query_uri: no answer within 1 s", failure.getMessage());
        }
    }
}
