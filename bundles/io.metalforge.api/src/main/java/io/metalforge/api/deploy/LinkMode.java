package io.metalforge.api.deploy;

/** How an interface gets an address on a subnet. */
public enum LinkMode {
    /** A fixed address from the subnet. */
    STATIC,
    /** DHCP for IPv4. */
    DHCP4,
    /** DHCP for IPv6. */
    DHCP6,
    /** The interface is brought up with no address. */
    LINK_UP
}
