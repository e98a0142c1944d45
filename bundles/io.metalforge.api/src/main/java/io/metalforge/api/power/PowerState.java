package io.metalforge.api.power;

/** Result of a power query, as MAAS reports it. */
public enum PowerState {
    ON, OFF, UNKNOWN, ERROR
}
