package io.metalforge.api.inspect;

import java.util.Objects;

/** One observation of the doctor. */
public record Finding(Severity severity, String message) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }
}
