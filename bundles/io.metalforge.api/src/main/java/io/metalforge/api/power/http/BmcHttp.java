package io.metalforge.api.power.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerFailure.Kind;

/**
 * HTTP as power drivers use it. Messages name what was asked ({@code what}: a settings field or a request path) and
 * the host, never credentials or answers.
 */
public final class BmcHttp {

    private BmcHttp() {
    }

    /**
     * A client that does not check certificates or host names: BMCs use self-signed certificates, and MAAS verifies
     * them only where a driver offers it (webhook's power_verify_ssl).
     */
    public static HttpClient trustingClient(Duration connectTimeout, HttpClient.Redirect redirects) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(redirects)
                .connectTimeout(connectTimeout).sslContext(trustingAnyCertificate()).build();
    }

    /** A client that checks certificates against the JVM's trusted authorities. */
    public static HttpClient verifyingClient(Duration connectTimeout, HttpClient.Redirect redirects) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(redirects)
                .connectTimeout(connectTimeout).build();
    }

    /** The {@code Authorization} value of HTTP basic authentication. */
    public static String basicAuthorization(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a request whose answer is read as a stream. A connection that cannot be made, an answer that does not
     * come within the request's timeout and any transport error are {@link Kind#CONNECTION} failures (retried by
     * the power service); an interrupt keeps the thread's interrupt status.
     *
     * @param what    named in messages, e.g. "power_query_uri" or "/redfish/v1/Systems"
     * @param timeout the request's timeout, for the message
     */
    public static HttpResponse<InputStream> send(HttpClient client, HttpRequest request, String what, Duration timeout)
            throws PowerFailure {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new PowerFailure(Kind.CONNECTION, what + ": no connection to " + request.uri().getHost()
                    + " within " + client.connectTimeout().orElse(timeout).toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new PowerFailure(Kind.CONNECTION, what + ": no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new PowerFailure(Kind.CONNECTION,
                    what + ": " + e.getClass().getSimpleName() + " reaching " + request.uri().getHost());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PowerFailure(Kind.CONNECTION, what + ": interrupted");
        }
    }

    /** At most {@code max} bytes of the answer (a BMC is not trusted to send a bounded one), then the stream closed. */
    public static byte[] readBounded(HttpResponse<InputStream> response, int max, String what) throws PowerFailure {
        try (InputStream in = response.body()) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw new PowerFailure(Kind.CONNECTION, what + ": answer cut off (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Closes an answer that is not read (the connection is dropped; the next request opens another). */
    public static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            // nothing to read
        } catch (IOException e) {
            // already broken: nothing to release
        }
    }

    private static SSLContext trustingAnyCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // an extended trust manager, so the JDK does not add its own host name check around it
            context.init(null, new TrustManager[] { new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            } }, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
