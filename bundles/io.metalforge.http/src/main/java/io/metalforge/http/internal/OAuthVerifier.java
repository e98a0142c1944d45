package io.metalforge.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.codec.digest.DigestUtils;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiUser;

/**
 * OAuth 1.0a PLAINTEXT as MAAS validates it (0-legged: the consumer secret is empty, the token secret is the key's
 * secret), with MAAS's answers: 400 "Bad Request: ..." for a timestamp that is not an integer, 401
 * "Authorization Error: ..." for everything else that fails, 403 for an inactive user. A failed OAuth attempt is
 * never downgraded to anonymous. One instance serves both the v2 and the v3 dispatcher, so a nonce used on one API
 * cannot be replayed on the other.
 */
@Component(service = OAuthVerifier.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class OAuthVerifier {

    static final long WINDOW_SECONDS = 300;
    /**
     * How far ahead of the server clock a timestamp may be. MAAS sets no bound; one day tolerates any clock skew
     * while keeping each nonce's expiry, at most this plus the window, a small number that cannot overflow.
     */
    static final long MAX_FUTURE_SECONDS = 86_400;
    static final String CHALLENGE = "OAuth realm=\"MAAS API\"";
    static final List<String> REQUIRED = List.of("oauth_consumer_key", "oauth_token", "oauth_signature",
            "oauth_signature_method", "oauth_timestamp", "oauth_nonce");

    private final UserStore store;
    private final Clock clock;

    @Activate
    public OAuthVerifier(@Reference UserStore store) {
        this(store, Clock.systemUTC());
    }

    OAuthVerifier(UserStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The user of a request whose OAuth parameters travel in the Authorization header or the query string; null
     * when neither carries any (form-carried parameters are the dispatcher's business, after this).
     */
    ApiUser fromHeaderOrQuery(String authorization, Map<String, List<String>> query) throws ApiException {
        if (isOAuth(authorization)) {
            return verify(parseHeader(authorization));
        }
        if (query.containsKey("oauth_consumer_key")) {
            return verify(fromParameters(query));
        }
        return null;
    }

    /** Whether an Authorization header asks for OAuth. */
    static boolean isOAuth(String authorization) {
        return authorization != null && authorization.strip().regionMatches(true, 0, "OAuth", 0, 5);
    }

    /**
     * The oauth_* parameters of an {@code Authorization: OAuth ...} header: comma-separated k="v" pairs, values
     * percent-decoded, realm ignored (as piston does).
     */
    static Map<String, String> parseHeader(String authorization) throws ApiException {
        String rest = authorization.strip().substring(5);
        Map<String, String> params = new LinkedHashMap<>();
        if (rest.length() > 8192) {
            throw unauthorized("Unable to parse OAuth parameters from Authorization header.");
        }
        for (String pair : rest.split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw unauthorized("Unable to parse OAuth parameters from Authorization header.");
            }
            String name = p.substring(0, eq).strip();
            if (name.equalsIgnoreCase("realm")) {
                continue;
            }
            String value = p.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.indexOf('%') >= 0) { // most clients' values need no decoding: spare the copy
                try {
                    value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw unauthorized("Unable to parse OAuth parameters from Authorization header.");
                }
            }
            if (name.startsWith("oauth_")) {
                params.put(name, value);
            }
        }
        return params;
    }

    /** The oauth_* parameters among query or form parameters (first values). */
    static Map<String, String> fromParameters(Map<String, List<String>> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (k.startsWith("oauth_") && !v.isEmpty()) {
                out.put(k, v.get(0));
            }
        });
        return out;
    }

    ApiUser verify(Map<String, String> params) throws ApiException {
        for (String name : REQUIRED) {
            String v = params.get(name);
            if (v == null || v.isEmpty()) {
                throw unauthorized("Missing OAuth parameter: " + name + ".");
            }
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(params.get("oauth_timestamp").strip());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Bad Request: Invalid OAuth timestamp: '"
                    + printable(params.get("oauth_timestamp")) + "'.");
        }
        String version = params.get("oauth_version");
        if (version != null && !version.equals("1.0")) {
            throw unauthorized("'OAuth version " + printable(version) + " not supported.'");
        }
        String method = params.get("oauth_signature_method");
        if (!method.toUpperCase(Locale.ROOT).equals("PLAINTEXT")) {
            throw unauthorized("'Signature method " + printable(method) + " not supported try one of the "
                    + "following: PLAINTEXT'");
        }
        String consumerKey = params.get("oauth_consumer_key");
        String tokenKey = params.get("oauth_token");
        String nonce = params.get("oauth_nonce");
        if (nonce.length() > 255) {
            throw unauthorized("'Nonce too long.'");
        }
        try {
            Optional<UserStore.Credential> found = store.credential(consumerKey);
            if (found.isEmpty()) {
                throw unauthorized("Invalid API key.");
            }
            UserStore.Credential credential = found.get();
            if (!credential.tokenKey().equals(tokenKey)) {
                throw unauthorized("'Invalid access token: " + printable(tokenKey) + "'");
            }
            long now = clock.instant().getEpochSecond();
            // compared without subtraction from the client's value, so no timestamp can overflow the arithmetic
            if (timestamp < now - WINDOW_SECONDS) {
                throw unauthorized("'Expired timestamp: given " + timestamp + " and now " + now
                        + " has a greater difference than threshold " + WINDOW_SECONDS + "'");
            }
            // PLAINTEXT: escape(consumer secret "") + "&" + escape(token secret). Compared by hash, in constant
            // time. Unlike piston, the answer never echoes the expected signature (it is the secret).
            if (timestamp > now + MAX_FUTURE_SECONDS) {
                throw unauthorized("'Timestamp " + timestamp + " is more than " + MAX_FUTURE_SECONDS
                        + " seconds ahead of the server clock " + now + "'");
            }
            String signature = params.get("oauth_signature");
            boolean valid = signature.startsWith("&") && MessageDigest.isEqual(credential.secretSha256(),
                    DigestUtils.sha256(percentDecode(signature.substring(1))));
            if (!valid) {
                throw unauthorized("'Invalid signature.'");
            }
            switch (store.useNonce(consumerKey, tokenKey, nonce, timestamp, now)) {
            case FRESH:
                break;
            case REPLAY:
                throw unauthorized("'Nonce already used: " + printable(nonce) + "'");
            case TOO_OLD:
                throw unauthorized("'Expired timestamp: given " + timestamp + " and now " + now + ": too many "
                        + "signed requests to remember their nonces for " + WINDOW_SECONDS + " s, timestamps up to "
                        + store.nonceFloor() + " are refused; sign with the current time'");
            case LOST:
                throw unauthorized("'Timestamp " + timestamp + " is in a period whose nonces this server could not "
                        + "keep (too many signed requests); sign with the current time'");
            default:
                throw new ApiException(503, "Too many signed requests within " + NonceMemory.BUCKET_SECONDS
                        + " seconds to remember their nonces; try again shortly.");
            }
            UserAccount user = credential.user();
            if (!user.active()) {
                throw ApiException.forbidden("User is not allowed access to this API.");
            }
            return new ApiUser(user.username(), user.admin());
        } catch (SQLException e) {
            throw new IllegalStateException("user store unavailable: " + e.getMessage(), e);
        }
    }

    /** The token secret is escaped once more inside the signature (a no-op for MAAS's alphanumeric secrets). */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(401, "Authorization Error: " + detail);
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
