package io.metalforge.inspect.internal;

import java.io.IOException;

/** The content is not well-formed for the format it claims. */
final class CorruptImageException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptImageException(String message) {
        super(message);
    }
}
