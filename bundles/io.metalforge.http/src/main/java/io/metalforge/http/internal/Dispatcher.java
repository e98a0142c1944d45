package io.metalforge.http.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.NodeKeys;

/**
 * Serves one request under /MAAS/api/2.0/ the way MAAS (piston) does: resolve the handler by path (404), decode the
 * form, authenticate (OAuth from the header, the query or the form), pick the action by method and op (query first,
 * then form; empty means none; the /op-NAME path form too; else 400 "Unrecognised signature"), check access (401,
 * 403), run it, and answer with a Content-Type on every response and X-MAAS-API-Hash equal to describe's hash.
 */
final class Dispatcher {

    /** How much of a refused body is read and dropped before answering (see drainRefusedBody). */
    static final long DRAIN_LIMIT = 16L << 20;
    /** What is read at most of an unauthenticated body after its refusal, and for how long, before closing. */
    static final long UNAUTHENTICATED_DRAIN_LIMIT = 256L << 10;
    static final long UNAUTHENTICATED_DRAIN_MILLIS = 100;
    /**
     * Once a form-carried OAuth request goes on after its prefix, the longest wait for its next bytes (the
     * connector's idle timeout, 30 s in the distribution, usually ends such a connection first).
     */
    static final long REST_IDLE_MILLIS = 120_000;


    static final String DESCRIBE_TYPE = "application/json"; // exactly: the maas CLI refuses a charset here
    static final String HASH_HEADER = "X-MAAS-API-Hash";
    private static final byte[] NOTHING = new byte[0];
    /**
     * At most this much of an unauthenticated body is taken on the request's first call: enough for a first part's
     * headers, or for a small form that is all there; anything longer is read on as its prefix.
     */
    private static final int EARLY_BYTES = 8 * 1024;
    /** What a Host header may hold before it is echoed into describe's URIs. */
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.\\-:\\[\\]]+");

    private final ApiCatalog catalog;
    private final String prefix;
    private final boolean nodeTokens;
    private final OAuthVerifier verifier;
    private final FormLimits limits;
    private final BodyPolicy policy;
    private final Path spoolFolder;
    private final FaultAnswers faults;
    private final Semaphore unauthenticatedReaders;

    Dispatcher(ApiCatalog catalog, OAuthVerifier verifier, FormLimits limits, BodyPolicy policy, Path spoolFolder,
            FaultAnswers faults) {
        this(catalog, ApiCatalog.PREFIX, false, verifier, limits, policy, spoolFolder, faults);
    }

    /**
     * @param prefix     the servlet's path, e.g. "/MAAS/api/2.0/" (in 404 messages and the handlers' base URL)
     * @param nodeTokens whether node tokens ({@link NodeKeys#NODE_USER}'s keys) may authenticate; only the
     *                   metadata service takes them, the API answers 403
     */
    Dispatcher(ApiCatalog catalog, String prefix, boolean nodeTokens, OAuthVerifier verifier, FormLimits limits,
            BodyPolicy policy, Path spoolFolder, FaultAnswers faults) {
        this.catalog = catalog;
        this.prefix = prefix;
        this.nodeTokens = nodeTokens;
        this.verifier = verifier;
        this.limits = limits;
        this.policy = policy;
        this.spoolFolder = spoolFolder;
        this.faults = faults;
        this.unauthenticatedReaders = new Semaphore(policy.unauthenticatedReaders());
    }

    void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp, null);
    }

    /**
     * @param prefetched null on the container's first call; once an unauthenticated form's prefix has arrived
     *                   (read without a thread by {@link PrefixReader}), the whole body, prefix first
     */
    private void handle(HttpServletRequest req, HttpServletResponse resp, InputStream prefetched) throws IOException {
        ApiCatalog.Snapshot snapshot = catalog.snapshot();
        resp.setHeader(HASH_HEADER, snapshot.hash());
        String relative = req.getPathInfo() == null ? "" : req.getPathInfo();
        Form form = Form.EMPTY;
        RequestBody body = null;
        ApiUser user = null;
        boolean permit = false;
        byte[] early = NOTHING; // bytes of an unauthenticated body read on this first call
        try {
            List<String> segments = ApiCatalog.segments(relative);
            if (!nodeTokens && segments.size() == 1 && segments.get(0).equals("describe")) {
                describe(req, resp, snapshot);
                return;
            }
            ApiCatalog.Match match = snapshot.match(relative);
            if (match == null) {
                throw ApiException.notFound("Unknown API endpoint: " + prefix.substring(0, prefix.length() - 1)
                        + relative + ".");
            }
            Map<String, List<String>> query = UrlEncoded.parse(req.getQueryString());
            String method = req.getMethod().toUpperCase(Locale.ROOT);

            // Who: the header (or query) first, so an unauthenticated client cannot make us read its body. A
            // resource with only anonymous actions (version/, like describe/) ignores credentials, as MAAS does:
            // gomaasapi sends its key to version/ before it knows whether the key is good.
            String tokenKey = null;
            boolean anonymousOnly = match.handler().actions().stream().allMatch(a -> a.access() == Access.ANONYMOUS);
            if (!anonymousOnly) {
                String authorization = req.getHeader("Authorization");
                user = verifier.fromHeaderOrQuery(authorization, query);
                tokenKey = user == null ? null : OAuthVerifier.isOAuth(authorization)
                        ? OAuthVerifier.parseHeader(authorization).get("oauth_token")
                        : query.getOrDefault("oauth_token", List.of("")).get(0);
            }
            checkNodeToken(user);
            boolean anonymousAllowed = match.handler().actions().stream()
                    .anyMatch(a -> a.access() == Access.ANONYMOUS);

            boolean formBody = false;
            String contentType = Objects.requireNonNullElse(req.getContentType(), "").toLowerCase(Locale.ROOT);
            boolean multipart = contentType.startsWith("multipart/form-data");
            boolean urlencoded = contentType.startsWith("application/x-www-form-urlencoded");
            boolean withBody = (method.equals("POST") || method.equals("PUT")) && req.getContentLengthLong() != 0;
            if (user == null && !anonymousAllowed && !(withBody && (multipart || urlencoded))) {
                throw unauthenticated(); // nothing to read that could authenticate: the body is never touched
            }
            if (withBody && (multipart || urlencoded)) {
                if (multipart && req.getContentLengthLong() > limits.maxFormBytes()) {
                    throw new ApiException(413, "Form body is larger than " + limits.maxFormBytes() + " bytes.");
                }
                if (user == null) {
                    // Form-carried OAuth: only a small prefix, by a few requests at once, within a deadline.
                    String boundary = multipart ? MultipartParser.boundary(req.getContentType()) : null;
                    if (prefetched == null) {
                        // What came with the request's head often decides it: a form whose first part is a file is
                        // refused here, and a body that is all there goes on here, on the thread that parsed the
                        // head, without a permit, a timer or a hand-off to another thread
                        early = arrived(req, Math.min(EARLY_BYTES, policy.unauthenticatedBytes() + 1));
                        if (boundary != null && MultipartParser.startsWithFilePart(early, early.length, boundary)
                                == PrefixReader.Enough.Answer.YES) {
                            throw unauthenticated();
                        }
                        if (early.length == req.getContentLengthLong()) {
                            prefetched = new ByteArrayInputStream(early);
                        }
                    }
                    if (prefetched == null) {
                        if (!unauthenticatedReaders.tryAcquire()) {
                            throw new ApiException(503, "Too many unauthenticated requests at once; send the "
                                    + "OAuth parameters in the Authorization header, or retry later.");
                        }
                        permit = true;
                        if (req.isAsyncSupported()) {
                            // the prefix arrives without holding this thread; the request goes on in the reader
                            // a form whose first part is a file is refused once that part's headers are there
                            PrefixReader.Enough enough = boundary == null ? PrefixReader.Enough.NEVER
                                    : (bytes, length) -> MultipartParser.startsWithFilePart(bytes, length, boundary);
                            PrefixReader.start(req, early, policy.unauthenticatedBytes(),
                                    policy.unauthenticatedMillis(), REST_IDLE_MILLIS, enough, rest -> {
                                        try {
                                            handle(req, resp, rest);
                                        } finally {
                                            unauthenticatedReaders.release();
                                        }
                                    }, why -> {
                                        try {
                                            prefixNotDelivered(req, resp, snapshot, why);
                                        } finally {
                                            unauthenticatedReaders.release();
                                        }
                                    });
                            permit = false;
                            return;
                        }
                    }
                    body = new RequestBody(prefetched != null ? prefetched : early.length == 0 ? req.getInputStream()
                            : new SequenceInputStream(new ByteArrayInputStream(early), req.getInputStream()),
                            policy.unauthenticatedBytes(), policy.rate())
                            .deadline(policy.unauthenticatedMillis()).overLimit(RequestBody.Fault.NOT_AUTHENTICATED);
                    FormGate gate = new FormGate(body);
                    form = multipart
                            ? MultipartParser.parse(body, req.getContentType(), limits, spoolFolder, gate,
                                    policy.spoolReserveBytes())
                            : readUrlEncoded(body, gate);
                    user = gate.user;
                } else {
                    body = new RequestBody(req.getInputStream(), multipart ? limits.maxFormBytes()
                            : limits.maxUrlEncodedBytes(), policy.rate());
                    form = multipart
                            ? MultipartParser.parse(body, req.getContentType(), limits, spoolFolder,
                                    MultipartParser.Gate.OPEN, policy.spoolReserveBytes())
                            : Form.of(UrlEncoded.parse(new String(body.readAllBytes(), StandardCharsets.ISO_8859_1)));
                }
                formBody = true;
            }
            if (permit) {
                unauthenticatedReaders.release();
                permit = false;
            }
            if (user == null && form.fields().containsKey("oauth_consumer_key")) {
                Map<String, String> oauth = OAuthVerifier.fromParameters(form.fields());
                user = verifier.verify(oauth);
                tokenKey = oauth.get("oauth_token");
                checkNodeToken(user);
            }
            if (user == null && !anonymousAllowed) {
                throw unauthenticated();
            }

            String op = match.pathOp() != null ? match.pathOp() : nonEmpty(first(query, "op"));
            if (op == null) {
                op = nonEmpty(first(form.fields(), "op"));
            }
            ApiAction action = select(match.handler(), method, op);
            if (action.access() != Access.ANONYMOUS && user == null) {
                throw unauthenticated();
            }
            if (action.access() == Access.ADMIN && !user.admin()) {
                throw ApiException.forbidden("User does not have permission to perform this operation.");
            }
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            query.forEach((k, v) -> parameters.put(k, new ArrayList<>(v)));
            form.fields().forEach((k, v) -> parameters.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            if (!formBody) {
                body = new RequestBody(req.getInputStream(), Long.MAX_VALUE, policy.rate());
            }
            DispatchedRequest request = new DispatchedRequest(req, formBody ? null : body, op,
                    match.pathParameters(), java.util.Collections.unmodifiableMap(parameters), form.files(),
                    user == null ? ApiUser.ANONYMOUS : user, origin(req) + prefix, tokenKey);
            ApiResponse response = match.handler().handle(action, request);
            write(resp, response == null ? ApiResponse.ok() : response);
        } catch (ApiException | IOException | RuntimeException e) {
            ApiException answer = faults.toAnswer(e, body, "Form body", req.getMethod(), req.getRequestURI(),
                    req.getRemoteAddr());
            if (!resp.isCommitted()) {
                resp.reset();
                resp.setHeader(HASH_HEADER, snapshot.hash());
                if (mayHaveBody(req)) {
                    if (user != null && (body == null || body.fault() == null)) {
                        drainRefusedBody(req, resp, prefetched, DRAIN_LIMIT, policy.drainMillis(), Long.MAX_VALUE);
                    } else {
                        // unauthenticated, or failing to send: the connection ends here (before authentication at
                        // most the prefix was taken from the connection)
                        endWithAnswer(req, resp, body == null || body.fault() == null, prefetched,
                                policy.unauthenticatedBytes() + 1L);
                    }
                }
                error(resp, answer);
            }
        } finally {
            if (permit) {
                unauthenticatedReaders.release();
            }
            form.close();
        }
    }

    /**
     * Before authentication: finds form-carried OAuth parameters among the fields read so far. Once they verify,
     * the body may be as large as any form; a file part before that, or a prefix without them, is refused.
     */
    private final class FormGate implements MultipartParser.Gate {
        private final RequestBody body;
        ApiUser user;

        FormGate(RequestBody body) {
            this.body = body;
        }

        @Override
        public void check(Form form, boolean fileNext) throws ApiException {
            if (user != null) {
                return;
            }
            if (OAuthVerifier.REQUIRED.stream().allMatch(form.fields()::containsKey)) {
                user = verifier.verify(OAuthVerifier.fromParameters(form.fields()));
                body.limit(limits.maxFormBytes()).noDeadline().overLimit(RequestBody.Fault.TOO_LARGE);
                return;
            }
            if (fileNext) {
                throw unauthenticated();
            }
        }
    }

    /**
     * An urlencoded body before authentication: its first {@link BodyPolicy#unauthenticatedBytes()} must hold the
     * OAuth parameters; the rest is read only once they verify.
     */
    private Form readUrlEncoded(RequestBody body, FormGate gate) throws ApiException, IOException {
        byte[] prefix = body.readNBytes(policy.unauthenticatedBytes());
        String text = new String(prefix, StandardCharsets.ISO_8859_1);
        if (prefix.length < policy.unauthenticatedBytes()) {
            return Form.of(UrlEncoded.parse(text)); // the whole body
        }
        int lastPair = text.lastIndexOf('&');
        gate.check(Form.of(UrlEncoded.parse(lastPair < 0 ? "" : text.substring(0, lastPair))), false);
        if (gate.user == null) {
            throw unauthenticated();
        }
        return Form.of(UrlEncoded.parse(text + new String(body.readAllBytes(), StandardCharsets.ISO_8859_1)));
    }

    private static boolean mayHaveBody(HttpServletRequest req) {
        return (req.getMethod().equalsIgnoreCase("POST") || req.getMethod().equalsIgnoreCase("PUT"))
                && req.getContentLengthLong() != 0;
    }

    /**
     * Reads and drops what is left of a refused request body, up to {@code limit} bytes and {@code millis}, so
     * that a client still sending it reads our 4xx answer instead of a connection reset. Beyond either bound the
     * connection is closed. A body whose announced length leaves more than {@code limit} after the at most
     * {@code consumedAtMost} bytes already read is not read at all: its rest cannot be drained, the reset comes
     * anyway if the client keeps sending, and reading part of it would only cost the time and the bytes.
     *
     * @param consumedAtMost an upper bound of the body's bytes already taken from the connection (
     *                       {@link Long#MAX_VALUE} when unknown: then the announced length never skips the drain)
     * @return whether the body was read to its end (else the connection closes with the answer)
     */
    static boolean drainRefusedBody(HttpServletRequest req, HttpServletResponse resp, InputStream prefetched,
            long limit, long millis, long consumedAtMost) {
        if (!req.getMethod().equalsIgnoreCase("POST") && !req.getMethod().equalsIgnoreCase("PUT")) {
            return true;
        }
        long announced = req.getContentLengthLong();
        if (announced >= 0 && consumedAtMost < announced && announced - consumedAtMost > limit) {
            resp.setHeader("Connection", "close");
            return false;
        }
        boolean complete = false;
        try {
            RequestBody rest = new RequestBody(prefetched != null ? prefetched : req.getInputStream(), limit,
                    RequestBody.Rate.NONE)
                    .deadline(millis);
            byte[] buffer = new byte[64 * 1024];
            while (rest.read(buffer) >= 0) {
                // dropped
            }
            complete = true;
        } catch (IOException | IllegalStateException e) {
            complete = false;
        }
        if (!complete) {
            resp.setHeader("Connection", "close");
        }
        return complete;
    }

    /**
     * The connection ends with the answer. When {@code drainFirst} (the body has not failed), a small rest of it is
     * read first, bounded in bytes and time, because closing with unread bytes makes the kernel reset the connection
     * and a client still sending a modest form would lose the answer to that reset; whatever is left then goes with
     * the connection, unread.
     *
     * @param consumedAtMost as for {@link #drainRefusedBody}
     */
    static void endWithAnswer(HttpServletRequest req, HttpServletResponse resp, boolean drainFirst,
            InputStream prefetched, long consumedAtMost) {
        boolean drained = drainFirst && drainRefusedBody(req, resp, prefetched, UNAUTHENTICATED_DRAIN_LIMIT,
                UNAUTHENTICATED_DRAIN_MILLIS, consumedAtMost);
        resp.setHeader("Connection", "close");
        if (!drained) {
            UnreadBodies.closeWithoutReading(req);
        }
    }

    /**
     * The body's bytes that have already arrived, up to {@code max}, read without blocking (what the container
     * reports available); none when nothing is there yet.
     */
    private static byte[] arrived(HttpServletRequest req, int max) throws IOException {
        ServletInputStream in = req.getInputStream();
        int available = Math.min(in.available(), max);
        if (available <= 0) {
            return NOTHING;
        }
        byte[] bytes = new byte[available];
        int n = in.read(bytes, 0, available); // no more than available: does not block
        return n <= 0 ? NOTHING : n == available ? bytes : Arrays.copyOf(bytes, n);
    }

    /**
     * An unauthenticated form whose prefix did not arrive within its deadline (408), or whose connection failed
     * meanwhile (nothing can be written). Either way nothing of it is kept and the connection ends.
     */
    private void prefixNotDelivered(HttpServletRequest req, HttpServletResponse resp, ApiCatalog.Snapshot snapshot,
            PrefixReader.Outcome why) {
        RequestBody.Fault fault = why == PrefixReader.Outcome.TOO_SLOW ? RequestBody.Fault.TOO_SLOW
                : RequestBody.Fault.ENDED_EARLY;
        ApiException answer = faults.toAnswer(new RequestBody.ClientFault(fault, "form prefix not delivered", null),
                null, "Form body", req.getMethod(), req.getRequestURI(), req.getRemoteAddr());
        if (why == PrefixReader.Outcome.FAILED || resp.isCommitted()) {
            return;
        }
        try {
            resp.reset();
            resp.setHeader(HASH_HEADER, snapshot.hash());
            endWithAnswer(req, resp, false, null, 0);
            error(resp, answer);
        } catch (IOException | IllegalStateException e) {
            // the client went away meanwhile
        }
    }

    /** Node tokens are for the metadata service only; a leaked one must not reach the API. */
    private void checkNodeToken(ApiUser user) throws ApiException {
        if (user != null && !nodeTokens && NodeKeys.NODE_USER.equals(user.username())) {
            throw ApiException.forbidden("Node tokens cannot use the API.");
        }
    }

    private static ApiException unauthenticated() {
        return new ApiException(401, "Authorization Required");
    }

    private static ApiAction select(ApiHandler handler, String method, String op) throws ApiException {
        for (ApiAction a : handler.actions()) {
            if (a.method().equalsIgnoreCase(method) && Objects.equals(a.op(), op)) {
                return a;
            }
        }
        throw ApiException.badRequest("Unrecognised signature: method=" + method + " op=" + (op == null ? "None" : op));
    }

    private void describe(HttpServletRequest req, HttpServletResponse resp, ApiCatalog.Snapshot snapshot)
            throws IOException, ApiException {
        if (!req.getMethod().equalsIgnoreCase("GET") && !req.getMethod().equalsIgnoreCase("HEAD")) {
            throw ApiException.badRequest("Unrecognised signature: method=" + req.getMethod() + " op=None");
        }
        byte[] body = AnswerJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(snapshot.describe(origin(req)));
        resp.setStatus(200);
        resp.setContentType(DESCRIBE_TYPE);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private void write(HttpServletResponse resp, ApiResponse r) throws IOException {
        resp.setStatus(r.status());
        r.headers().forEach(resp::setHeader);
        String contentType = r.contentType() == null ? ApiResponse.TEXT : r.contentType();
        resp.setContentType(contentType);
        Object body = r.body();
        if (body instanceof ApiResponse.Streamer streamer) {
            if (r.length() >= 0) {
                resp.setContentLengthLong(r.length());
            }
            try (OutputStream out = resp.getOutputStream()) {
                streamer.writeTo(out);
            }
            return;
        }
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (body instanceof String s && !isJson(contentType)) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else if (body instanceof byte[] b) {
            bytes = b;
        } else {
            bytes = AnswerJson.MAPPER.writeValueAsBytes(body);
        }
        if (r.status() == 204 || r.status() == 304) {
            return; // no body, but the Content-Type stays: the maas CLI crashes without one
        }
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("application/json") || ct.contains("+json");
    }

    private void error(HttpServletResponse resp, ApiException e) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        if (!e.fieldErrors().isEmpty()) {
            byte[] body = AnswerJson.MAPPER.writeValueAsBytes(e.fieldErrors());
            resp.setStatus(400);
            resp.setContentType(ApiResponse.JSON);
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
            return;
        }
        if (e.status() == 401) {
            resp.setHeader("WWW-Authenticate", OAuthVerifier.CHALLENGE);
        }
        text(resp, e.status(), e.getMessage());
    }

    private static void text(HttpServletResponse resp, int status, String message) throws IOException {
        byte[] body = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType(ApiResponse.TEXT);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** scheme://host[:port] as the client reached us. */
    static String origin(HttpServletRequest req) {
        String host = req.getHeader("Host");
        if (host == null || host.isBlank() || !HOST.matcher(host).matches()) {
            host = req.getServerName() + ":" + req.getServerPort();
        }
        return req.getScheme() + "://" + host;
    }

    static String baseUrl(HttpServletRequest req) {
        return origin(req) + ApiCatalog.PREFIX;
    }
}
