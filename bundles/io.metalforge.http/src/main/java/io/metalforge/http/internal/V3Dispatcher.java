package io.metalforge.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.NodeKeys;

/**
 * Serves one request under /MAAS/a/v3/: resolve the handler by path (404), authenticate from the OAuth header or
 * query (MAAS v3 itself uses bearer tokens; Metalforge keeps one credential for both APIs), pick the CRUD action by
 * method (405), check access (401, 403), run it. Bodies are never decoded here: handlers stream them raw. Errors are
 * v3 JSON: {@code {"kind":"Error","code":N,"message":"..."}}.
 */
final class V3Dispatcher {

    static final String PREFIX = "/MAAS/a/v3/";

    private final ApiCatalog catalog;
    private final OAuthVerifier verifier;
    private final BodyPolicy policy;
    private final FaultAnswers faults;

    V3Dispatcher(ApiCatalog catalog, OAuthVerifier verifier, BodyPolicy policy, FaultAnswers faults) {
        this.catalog = catalog;
        this.verifier = verifier;
        this.policy = policy;
        this.faults = faults;
    }

    void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String relative = req.getPathInfo() == null ? "" : req.getPathInfo();
        RequestBody body = null;
        ApiUser user = null;
        try {
            ApiCatalog.Match match = catalog.snapshot().match(relative);
            if (match == null || match.pathOp() != null) {
                throw ApiException.notFound("Unknown API endpoint: " + PREFIX + ApiCatalog.segments(relative)
                        .stream().reduce((a, b) -> a + "/" + b).orElse("") + ".");
            }
            Map<String, List<String>> query = UrlEncoded.parse(req.getQueryString());
            user = verifier.fromHeaderOrQuery(req.getHeader("Authorization"), query);
            if (user != null && NodeKeys.NODE_USER.equals(user.username())) {
                throw ApiException.forbidden("Node tokens cannot use the API.");
            }
            String method = req.getMethod().toUpperCase(Locale.ROOT);
            ApiAction action = match.handler().actions().stream()
                    .filter(a -> a.restful() && a.method().equals(method)).findFirst()
                    .orElseThrow(() -> new ApiException(405, "Method Not Allowed"));
            if (action.access() != Access.ANONYMOUS && user == null) {
                throw new ApiException(401, "Not authenticated.");
            }
            if (action.access() == Access.ADMIN && !user.admin()) {
                throw ApiException.forbidden("User does not have permission to perform this operation.");
            }
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            query.forEach(parameters::put);
            body = new RequestBody(req.getInputStream(), Long.MAX_VALUE, policy.rate());
            DispatchedRequest request = new DispatchedRequest(req, body, null, match.pathParameters(), parameters,
                    List.of(), user == null ? ApiUser.ANONYMOUS : user, Dispatcher.origin(req) + PREFIX, null);
            write(resp, Objects.requireNonNullElse(match.handler().handle(action, request), ApiResponse.ok()));
        } catch (ApiException | IOException | RuntimeException e) {
            ApiException answer = faults.toAnswer(e, body, "Request body", req.getMethod(), req.getRequestURI(),
                    req.getRemoteAddr());
            if (!resp.isCommitted()) {
                resp.reset();
                if (req.getContentLengthLong() != 0 && !req.getMethod().equalsIgnoreCase("GET")) {
                    // the body of a refused upload is not read beyond a small bounded rest; the connection ends
                    // with the answer
                    Dispatcher.endWithAnswer(req, resp, body == null || body.fault() == null, null,
                            body == null ? 0 : body.count());
                }
                error(resp, answer);
            }
        }
    }

    private void write(HttpServletResponse resp, ApiResponse r) throws IOException {
        resp.setStatus(r.status());
        r.headers().forEach(resp::setHeader);
        resp.setContentType(r.contentType() == null ? ApiResponse.JSON : r.contentType());
        if (r.body() instanceof ApiResponse.Streamer streamer) {
            if (r.length() >= 0) {
                resp.setContentLengthLong(r.length());
            }
            try (OutputStream out = resp.getOutputStream()) {
                streamer.writeTo(out);
            }
            return;
        }
        if (r.status() == 204 || r.body() == null) {
            return;
        }
        byte[] bytes = r.body() instanceof byte[] b ? b : AnswerJson.MAPPER.writeValueAsBytes(r.body());
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private void error(HttpServletResponse resp, ApiException e) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        if (e.status() == 401) {
            resp.setHeader("WWW-Authenticate", OAuthVerifier.CHALLENGE);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "Error");
        body.put("code", e.status());
        body.put("message", e.getMessage());
        if (!e.fieldErrors().isEmpty()) {
            body.put("details", e.fieldErrors());
        }
        byte[] bytes = AnswerJson.MAPPER.writeValueAsBytes(body);
        resp.setStatus(e.status());
        resp.setContentType(ApiResponse.JSON);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
