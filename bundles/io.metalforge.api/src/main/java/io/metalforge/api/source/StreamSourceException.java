package io.metalforge.api.source;

import java.io.IOException;

/**
 * Reading a catalogue failed (unreachable, bad signature, unknown key, malformed JSON, a path outside the mirror);
 * the message says which file and why. Nothing was taken from the source.
 */
public class StreamSourceException extends IOException {
    private static final long serialVersionUID = 1L;

    public StreamSourceException(String message) {
        super(message);
    }

    public StreamSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
