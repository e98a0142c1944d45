package io.metalforge.api.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded form request from an administrator, as the dispatcher (io.metalforge.http) hands it to a handler. Shared
 * through this module's test jar so each bundle can test its handlers by calling {@code handle()} directly.
 */
public record TestApiRequest(String method, String op, Map<String, String> pathParameters,
        Map<String, List<String>> parameters, List<FormFile> files, String baseUrl) implements ApiRequest {

    public static final String BASE_URL = "http://localhost:5240/MAAS/api/2.0/";

    public TestApiRequest(String method, String op, Map<String, String> pathParameters,
            Map<String, List<String>> parameters, List<FormFile> files) {
        this(method, op, pathParameters, parameters, files, BASE_URL);
    }

    public TestApiRequest(String method, String op, Map<String, String> pathParameters,
            Map<String, List<String>> parameters) {
        this(method, op, pathParameters, parameters, List.of());
    }

    /** Parameters as name, value pairs; a value may be a List for repeated keys. */
    public static TestApiRequest of(String method, String op, Map<String, String> path, Object... keyValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            @SuppressWarnings("unchecked")
            List<String> list = v instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(v));
            params.put((String) keyValues[i], list);
        }
        return new TestApiRequest(method, op, path, params);
    }

    /** The same request with one file part. */
    public TestApiRequest withFile(String name, byte[] data) {
        FormFile f = new FormFile() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String filename() {
                return name;
            }

            @Override
            public long size() {
                return data.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(data);
            }
        };
        return new TestApiRequest(method, op, pathParameters, parameters, List.of(f), baseUrl);
    }

    /** The same request as reached through another URL. */
    public TestApiRequest withBaseUrl(String url) {
        return new TestApiRequest(method, op, pathParameters, parameters, files, url);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.empty();
    }

    @Override
    public long contentLength() {
        return -1;
    }

    @Override
    public InputStream body() {
        throw new IllegalStateException("form request");
    }

    @Override
    public ApiUser user() {
        return new ApiUser("admin", true);
    }
}
