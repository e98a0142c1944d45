package io.metalforge.api.store;

import java.io.IOException;

/** The bytes given to a blob store did not have the declared size or sha256; nothing was stored. */
public class BlobVerificationException extends IOException {
    private static final long serialVersionUID = 1L;

    public BlobVerificationException(String message) {
        super(message);
    }
}
