package io.metalforge.api.deploy;

/** Kinds of network interface a machine can have. */
public enum InterfaceType {
    PHYSICAL, VLAN, BOND, BRIDGE
}
