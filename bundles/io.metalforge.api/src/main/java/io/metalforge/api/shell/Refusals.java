package io.metalforge.api.shell;

import io.metalforge.api.http.ApiException;

/** An {@link ApiException} as a command shows it: its message, or one line per field an operator can correct. */
public final class Refusals {

    private Refusals() {
    }

    /** The message of {@code e}, or, when it names fields, a line {@code "  field: message..."} for each. */
    public static String of(ApiException e) {
        if (e.fieldErrors().isEmpty()) {
            return e.getMessage();
        }
        StringBuilder out = new StringBuilder();
        e.fieldErrors().forEach((field, messages) -> out.append("\n  ").append(field).append(": ")
                .append(String.join(" ", messages)));
        return out.toString();
    }
}
