package io.metalforge.simplestreams.internal;


import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;

/** Helpers shared by the API handlers of this bundle. */
final class ApiHandlers {

    private ApiHandlers() {
    }

    static long id(ApiRequest request, String name, String what) throws ApiException {
        String v = request.pathParameters().get(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.notFound("No " + what + " matches the given query.");
        }
    }
}
