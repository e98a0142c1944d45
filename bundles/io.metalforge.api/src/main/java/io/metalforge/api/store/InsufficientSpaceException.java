package io.metalforge.api.store;

import java.io.IOException;

/** The blob store has no room for the bytes offered; nothing was stored. */
public class InsufficientSpaceException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long needed;
    private final long available;

    public InsufficientSpaceException(long needed, long available) {
        super("Not enough free space in the image store: " + needed + " bytes needed, " + available + " available");
        this.needed = needed;
        this.available = available;
    }

    public long needed() {
        return needed;
    }

    public long available() {
        return available;
    }
}
