package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * How an interface is configured on one subnet.
 *
 * @param mode    static, DHCP or link-up only
 * @param subnet  the subnet; required for {@link LinkMode#STATIC}, optional otherwise
 * @param address the fixed address (no prefix) for {@link LinkMode#STATIC}, otherwise null
 */
public record Link(LinkMode mode, Subnet subnet, String address) {
    public Link {
        Objects.requireNonNull(mode, "mode");
        if (mode == LinkMode.STATIC && (subnet == null || address == null || address.isBlank())) {
            throw new IllegalArgumentException("a static link needs a subnet and an address");
        }
    }

    public static Link dhcp4() {
        return new Link(LinkMode.DHCP4, null, null);
    }

    public static Link dhcp6() {
        return new Link(LinkMode.DHCP6, null, null);
    }

    public static Link linkUp() {
        return new Link(LinkMode.LINK_UP, null, null);
    }

    public static Link fixed(Subnet subnet, String address) {
        return new Link(LinkMode.STATIC, subnet, address);
    }
}
