package io.metalforge.metadata.internal;

import java.util.List;
import java.util.Map;

import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/**
 * One path of the metadata service (relative to /MAAS/metadata/): its MAAS handler name, its actions and what it
 * answers. The routes differ only in these values, so they are rows of {@link MetadataRoutes}' table rather than
 * classes of their own.
 */
final class MetadataRoute implements ApiHandler {

    static final String OCTETS = "application/octet-stream";

    /** What a route answers to one of its actions. */
    @FunctionalInterface
    interface Answer {
        ApiResponse answer(ApiAction action, ApiRequest request) throws ApiException;
    }

    private final String name;
    private final String path;
    private final List<ApiAction> actions;
    private final Answer answer;

    MetadataRoute(String name, String path, List<ApiAction> actions, Answer answer) {
        this.name = name;
        this.path = path;
        this.actions = List.copyOf(actions);
        this.answer = answer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String doc() {
        return "Metadata service: " + path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<ApiAction> actions() {
        return actions;
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        return answer.answer(action, request);
    }

    static ApiResponse octets(byte[] body) {
        return new ApiResponse(200, OCTETS, body, -1, Map.of());
    }

    static ApiResponse text(String body) {
        return ApiResponse.text(200, body);
    }
}
