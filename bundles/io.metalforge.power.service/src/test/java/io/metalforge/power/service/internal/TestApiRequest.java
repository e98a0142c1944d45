package io.metalforge.power.service.internal;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.FormFile;

/** A decoded request as the dispatcher would hand it over (the dispatcher is tested in its own bundle). */
record TestApiRequest(String method, String op, Map<String, String> pathParameters,
        Map<String, List<String>> parameters) implements ApiRequest {

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
