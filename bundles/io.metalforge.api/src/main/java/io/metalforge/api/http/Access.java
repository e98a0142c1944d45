package io.metalforge.api.http;

/** Who may call an action. */
public enum Access {
    /** No credentials needed (describe, version). */
    ANONYMOUS,
    /** Any authenticated, active user. */
    AUTHENTICATED,
    /** Authenticated administrators only (MAAS "can edit boot entities" and the like). */
    ADMIN
}
