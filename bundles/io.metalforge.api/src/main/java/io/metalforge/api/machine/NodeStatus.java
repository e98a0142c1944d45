package io.metalforge.api.machine;

import java.util.Optional;

/**
 * A machine's lifecycle state with MAAS's numbers and names ({@code status} and {@code status_name} in the API), so
 * clients that compare numbers or names keep working.
 */
public enum NodeStatus {
    NEW(0, "New"),
    COMMISSIONING(1, "Commissioning"),
    FAILED_COMMISSIONING(2, "Failed commissioning"),
    READY(4, "Ready"),
    DEPLOYED(6, "Deployed"),
    DEPLOYING(9, "Deploying"),
    ALLOCATED(10, "Allocated"),
    FAILED_DEPLOYMENT(11, "Failed deployment"),
    RELEASING(12, "Releasing");

    private final int code;
    private final String label;

    NodeStatus(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** MAAS's number, e.g. 6 for Deployed. */
    public int code() {
        return code;
    }

    /** MAAS's name, e.g. "Failed deployment". */
    public String label() {
        return label;
    }

    public static Optional<NodeStatus> ofCode(int code) {
        for (NodeStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** By MAAS name ("Deployed") or enum name ("deployed", "failed_deployment"), case-insensitively. */
    public static Optional<NodeStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        for (NodeStatus s : values()) {
            if (s.label.equalsIgnoreCase(t) || s.name().equalsIgnoreCase(t.replace(' ', '_').replace('-', '_'))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
