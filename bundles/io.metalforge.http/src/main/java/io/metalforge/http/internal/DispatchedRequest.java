package io.metalforge.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.FormFile;

/** What a handler sees of one request. */
final class DispatchedRequest implements ApiRequest {

    private final HttpServletRequest http;
    private final InputStream body;
    private final String op;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> parameters;
    private final List<FormFile> files;
    private final ApiUser user;
    private final String baseUrl;
    private final String tokenKey;

    /**
     * {@code body} is null when the body was a form, already decoded into parameters and files; {@code tokenKey} is
     * the OAuth token the request was signed with, or null.
     */
    DispatchedRequest(HttpServletRequest http, InputStream body, String op, Map<String, String> pathParameters,
            Map<String, List<String>> parameters, List<FormFile> files, ApiUser user, String baseUrl,
            String tokenKey) {
        this.tokenKey = tokenKey;
        this.http = http;
        this.body = body;
        this.op = op;
        this.pathParameters = Map.copyOf(pathParameters);
        this.parameters = parameters;
        this.files = List.copyOf(files);
        this.user = user;
        this.baseUrl = baseUrl;
    }

    @Override
    public String method() {
        return http.getMethod();
    }

    @Override
    public String op() {
        return op;
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public Map<String, List<String>> parameters() {
        return parameters;
    }

    @Override
    public List<FormFile> files() {
        return files;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(http.getHeader(name));
    }

    @Override
    public long contentLength() {
        return http.getContentLengthLong();
    }

    @Override
    public InputStream body() throws IOException {
        if (body == null) {
            throw new IllegalStateException("the form body was already decoded into parameters");
        }
        return body;
    }

    @Override
    public ApiUser user() {
        return user;
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public Optional<String> tokenKey() {
        return Optional.ofNullable(tokenKey);
    }
}
