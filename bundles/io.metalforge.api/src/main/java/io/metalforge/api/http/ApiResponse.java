package io.metalforge.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a handler answers. JSON bodies are serialised by the dispatcher (records, maps, lists, strings, numbers,
 * booleans); text bodies are sent as they are; streamed bodies are written straight to the connection.
 *
 * @param status      HTTP status
 * @param contentType Content-Type; never null (the maas CLI crashes on a response without one, 204 included)
 * @param body        a JSON-serialisable value, a String for text, or a {@link Streamer}
 * @param length      body length for streamed bodies, or -1
 * @param headers     extra headers
 */
public record ApiResponse(int status, String contentType, Object body, long length, Map<String, String> headers) {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    /** Writes a streamed body. */
    @FunctionalInterface
    public interface Streamer {
        void writeTo(OutputStream out) throws IOException;
    }

    public ApiResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static ApiResponse json(Object value) {
        return new ApiResponse(200, JSON, value, -1, Map.of());
    }

    /** 201 with a JSON body. */
    public static ApiResponse created(Object value) {
        return new ApiResponse(201, JSON, value, -1, Map.of());
    }

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, TEXT, text, -1, Map.of());
    }

    /** MAAS's rc.ALL_OK: 200 "OK". */
    public static ApiResponse ok() {
        return text(200, "OK");
    }

    /** MAAS's rc.DELETED: 204, text/plain, empty. */
    public static ApiResponse deleted() {
        return text(204, "");
    }

    public static ApiResponse stream(String contentType, long length, Streamer streamer) {
        return new ApiResponse(200, contentType, streamer, length, Map.of());
    }
}
