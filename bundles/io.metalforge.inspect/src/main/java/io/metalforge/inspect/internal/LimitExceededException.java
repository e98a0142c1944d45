package io.metalforge.inspect.internal;

import java.io.IOException;

/** The image broke one of the {@link Limits}: treated as hostile. */
final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceededException(String message) {
        super(message);
    }
}
