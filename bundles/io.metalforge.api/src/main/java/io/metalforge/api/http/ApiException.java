package io.metalforge.api.http;

import java.util.List;
import java.util.Map;

/**
 * A client-facing failure: MAAS answers 400 with text or with a JSON map of field to messages, 403, 404, 409 and
 * 413 as text.
 */
public class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, List<String>> fieldErrors;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
        this.fieldErrors = Map.of();
    }

    private ApiException(Map<String, List<String>> fieldErrors) {
        super(fieldErrors.toString());
        this.status = 400;
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    /** 400 with a JSON map of field to messages, as a failed MAAS form validation. */
    public static ApiException validation(Map<String, List<String>> fieldErrors) {
        return new ApiException(fieldErrors);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public int status() {
        return status;
    }

    /** Field errors of a validation failure; empty for plain-text errors. */
    public Map<String, List<String>> fieldErrors() {
        return fieldErrors;
    }
}
