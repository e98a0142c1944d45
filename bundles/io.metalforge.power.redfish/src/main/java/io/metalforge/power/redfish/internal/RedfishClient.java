package io.metalforge.power.redfish.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerFailure.Kind;
import io.metalforge.api.power.http.BmcHttp;

/**
 * HTTP for one Redfish BMC, as MAAS talks to it (§7.4): basic auth, JSON, redirects followed by hand (up to 5, also
 * for POST and PATCH, keeping the method), a 404 retried once with a trailing "/", connection failures and 5xx
 * retried up to 5 times with backoff (2^n-1)/2 s, 401/403 fatal. The certificate is not verified (BMCs use
 * self-signed ones). Messages name the request path, never credentials.
 */
final class RedfishClient {

    static final int MAX_BODY = 1 << 20;
    static final int MAX_REDIRECTS = 5;
    static final int RETRIES = 5;

    /** HTTP 412: the etag sent with If-Match is stale. */
    static final class StaleEtag extends PowerFailure {
        private static final long serialVersionUID = 1L;

        StaleEtag(String detail) {
            super(Kind.ACTION, detail);
        }
    }

    /** A decoded answer. */
    record Reply(int status, JsonNode body, Optional<String> etag) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Redirects are followed by hand (keeping the method); BMCs have self-signed certificates: MAAS does not verify them. */
    private static final HttpClient CLIENT = BmcHttp.trustingClient(Duration.ofSeconds(10), HttpClient.Redirect.NEVER);

    private final URI base;
    private final String authorization;
    private final Duration timeout;
    private final Duration backoffUnit;

    /**
     * @param backoffUnit the "1" of (2^n-1)/2 s: half a second in MAAS; tests shorten it
     */
    RedfishClient(URI base, String user, String password, Duration timeout, Duration backoffUnit) {
        this.base = base;
        this.authorization = BmcHttp.basicAuthorization(user, password);
        this.timeout = timeout;
        this.backoffUnit = backoffUnit;
    }

    /** The address with "https://" when no scheme is given, as a base for "redfish/v1/..." paths. */
    static URI baseOf(String address) throws PowerFailure {
        String text = address.contains("://") ? address : "https://" + address;
        try {
            URI uri = new URI(text);
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getRawUserInfo() != null) {
                throw PowerFailure.invalidSetting("power_address",
                        "power_address must be a host[:port] or an http(s) URL");
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
        } catch (java.net.URISyntaxException e) {
            throw PowerFailure.invalidSetting("power_address", "power_address is not a valid address");
        }
    }

    /** A path relative to the base ("redfish/v1/Systems") or absolute ("/redfish/v1/Systems/1"). */
    URI resolve(String path) {
        return path.startsWith("/") ? base.resolve(base.getRawPath() + path.substring(1)) : base.resolve(path);
    }

    Reply get(String path) throws PowerFailure {
        return request("GET", path, null, null);
    }

    Reply post(String path, JsonNode body) throws PowerFailure {
        return request("POST", path, body, null);
    }

    Reply patch(String path, JsonNode body, String etag) throws PowerFailure {
        return request("PATCH", path, body, etag);
    }

    private Reply request(String method, String path, JsonNode body, String etag) throws PowerFailure {
        URI uri = resolve(path);
        PowerFailure last = null;
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            try {
                Reply reply = follow(method, uri, body, etag);
                if (reply.status() == 404 && !uri.getRawPath().endsWith("/")) {
                    reply = follow(method, withSlash(uri), body, etag);
                }
                if (reply.status() == 401 || reply.status() == 403) {
                    throw new PowerFailure(Kind.AUTHENTICATION,
                            method + " " + uri.getRawPath() + " answered HTTP " + reply.status());
                }
                if (reply.status() >= 500) {
                    last = new PowerFailure(Kind.ACTION, method + " " + uri.getRawPath() + " answered HTTP "
                            + reply.status());
                    continue;
                }
                if (reply.status() == 412) {
                    throw new StaleEtag(method + " " + uri.getRawPath() + " answered HTTP 412" + message(reply.body()));
                }
                if (reply.status() >= 400) {
                    throw new PowerFailure(Kind.ACTION, method + " " + uri.getRawPath() + " answered HTTP "
                            + reply.status() + message(reply.body()));
                }
                return reply;
            } catch (PowerFailure e) {
                // no connection, no answer in time, a broken transfer: tried again, unless the caller was interrupted
                if (e.kind() != Kind.CONNECTION || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private Reply follow(String method, URI uri, JsonNode body, String etag) throws PowerFailure {
        URI target = uri;
        String verb = method;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response = send(verb, target, body, etag);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && status != 304 && location.isPresent()) {
                BmcHttp.discard(response);
                target = target.resolve(location.get());
                if (status == 303) {
                    verb = "GET";
                }
                continue;
            }
            return decode(response, verb + " " + target.getRawPath());
        }
        throw new PowerFailure(Kind.ACTION, method + " " + uri.getRawPath() + ": more than " + MAX_REDIRECTS
                + " redirects");
    }

    private HttpResponse<InputStream> send(String method, URI uri, JsonNode body, String etag)
            throws PowerFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "MAAS")
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .header("Authorization", authorization);
        if (etag != null) {
            request.header("If-Match", etag);
        }
        byte[] bytes = body == null || method.equals("GET") ? new byte[0] : body.toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        request.method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        return BmcHttp.send(CLIENT, request.build(), method + " " + uri.getRawPath(), timeout);
    }

    private static Reply decode(HttpResponse<InputStream> response, String what) throws PowerFailure {
        byte[] bytes = BmcHttp.readBounded(response, MAX_BODY, what);
        JsonNode body = null;
        if (bytes.length > 0) {
            try {
                body = JSON.readTree(bytes);
            } catch (IOException e) {
                body = null; // not JSON (an error page): callers that need a body report it missing
            }
        }
        return new Reply(response.statusCode(), body, response.headers().firstValue("ETag"));
    }

    /** Redfish error messages ("error": {"message": ...}), shortened; they come from the BMC, not from us. */
    private static String message(JsonNode body) {
        if (body == null) {
            return "";
        }
        String text = body.path("error").path("message").asText("");
        if (text.isEmpty()) {
            return "";
        }
        text = text.replaceAll("[^\\x20-\\x7e]", "?");
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    private void pause(int attempt) throws PowerFailure {
        long millis = backoffUnit.toMillis() * ((1L << attempt) - 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PowerFailure(Kind.CONNECTION, "interrupted");
        }
    }

    private static URI withSlash(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "/"
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
