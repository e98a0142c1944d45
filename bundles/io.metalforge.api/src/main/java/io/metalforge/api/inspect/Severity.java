package io.metalforge.api.inspect;

/** How bad a finding is, in increasing order. */
public enum Severity {
    /** A fact worth showing. */
    INFO,
    /** Deployment may work but something is likely wrong. */
    WARNING,
    /** Deployment would fail. */
    UNDEPLOYABLE,
    /** Not accepted at all: the content does not match its declaration or breaks the inspection limits. */
    REJECTED
}
