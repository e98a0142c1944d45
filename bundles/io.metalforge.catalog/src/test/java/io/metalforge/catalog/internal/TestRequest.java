package io.metalforge.catalog.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.FormFile;

/** An ApiRequest as the dispatcher would hand it over (the dispatcher itself lives in another bundle). */
final class TestRequest implements ApiRequest {

    private final String method;
    private final Map<String, String> path = new LinkedHashMap<>();
    private final Map<String, List<String>> params = new LinkedHashMap<>();
    private InputStream body = InputStream.nullInputStream();
    private long length = -1;
    private String op;

    TestRequest(String method) {
        this.method = method;
    }

    TestRequest path(String key, Object value) {
        path.put(key, String.valueOf(value));
        return this;
    }

    TestRequest param(String key, String value) {
        params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        if (key.equals("op")) {
            op = value;
        }
        return this;
    }

    TestRequest body(byte[] bytes, int offset, int count) {
        this.body = new ByteArrayInputStream(bytes, offset, count);
        this.length = count;
        return this;
    }

    TestRequest body(InputStream in, long declaredLength) {
        this.body = in;
        this.length = declaredLength;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String op() {
        return op;
    }

    @Override
    public Map<String, String> pathParameters() {
        return path;
    }

    @Override
    public Map<String, List<String>> parameters() {
        return params;
    }

    @Override
    public List<FormFile> files() {
        return List.of();
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.empty();
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public ApiUser user() {
        return new ApiUser("admin", true);
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:5240/MAAS/api/2.0/";
    }
}
