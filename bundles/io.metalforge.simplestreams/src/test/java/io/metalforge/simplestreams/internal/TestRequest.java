package io.metalforge.simplestreams.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.FormFile;

/** A decoded request as the platform's dispatcher would hand it over (the dispatcher is another bundle). */
record TestRequest(String method, String op, Map<String, String> pathParameters,
        Map<String, List<String>> parameters, List<FormFile> files) implements ApiRequest {

    static TestRequest of(String method, String op, Map<String, String> path, Object... keyValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            @SuppressWarnings("unchecked")
            List<String> list = v instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(v));
            params.put((String) keyValues[i], list);
        }
        return new TestRequest(method, op, path, params, List.of());
    }

    TestRequest withFile(String name, byte[] data) {
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
        return new TestRequest(method, op, pathParameters, parameters, List.of(f));
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

    @Override
    public String baseUrl() {
        return "http://localhost:5240/MAAS/api/2.0/";
    }
}
