package io.metalforge.api.power;

import java.util.Locale;
import java.util.Optional;

/** What the power service can do to a machine through its BMC. */
public enum PowerOperation {
    /** Power on (drivers that can set a one-time PXE boot first, as MAAS does), then wait until on. */
    ON,
    /** Power off, then wait until off. */
    OFF,
    /** Query; off first if on, then on. */
    CYCLE,
    /** Report the current state. */
    QUERY,
    /** Hard reset of a running machine. */
    RESET,
    /** Make the next boot (only) a network boot. */
    PXE_ONCE;

    /** Lower-case name as used in commands and logs ("pxe-once"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a label ("on", "pxe-once", "pxe_once"), case-insensitively. */
    public static Optional<PowerOperation> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (PowerOperation op : values()) {
            if (op.name().equals(wanted)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
