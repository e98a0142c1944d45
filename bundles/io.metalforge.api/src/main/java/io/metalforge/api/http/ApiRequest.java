package io.metalforge.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** A decoded API request, as the dispatcher hands it to an {@link ApiHandler}. */
@ProviderType
public interface ApiRequest {

    /** HTTP method. */
    String method();

    /** The selected op, or null. */
    String op();

    /** Values of the path template's parameters, e.g. {"id": "12"}. */
    Map<String, String> pathParameters();

    /**
     * Parameters from the query string and, for form bodies, the form; repeated keys keep every value in order.
     * The {@code op} parameter is included.
     */
    Map<String, List<String>> parameters();

    /** First value of a parameter. */
    default Optional<String> parameter(String name) {
        List<String> values = parameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** File parts of a multipart form. */
    List<FormFile> files();

    /** A request header (case-insensitive name). */
    Optional<String> header(String name);

    /** Content-Length of a raw body, or -1 when unknown. */
    long contentLength();

    /**
     * The raw body, for non-form requests (chunk uploads). Must not be called for form requests, whose body the
     * dispatcher already consumed.
     */
    InputStream body() throws IOException;

    /** The authenticated caller ({@link ApiUser#ANONYMOUS} for anonymous actions). */
    ApiUser user();

    /** Absolute base URL of the API as the client reached it, e.g. "http://host:5240/MAAS/api/2.0/". */
    String baseUrl();

    /** The OAuth token key the caller authenticated with, or empty for anonymous requests. */
    default Optional<String> tokenKey() {
        return Optional.empty();
    }
}
