package io.metalforge.api.deploy;

import java.util.List;
import java.util.Objects;

/**
 * A subnet an interface is linked to.
 *
 * @param cidr       network in CIDR notation, e.g. "10.0.0.0/24" or "2001:db8::/64"
 * @param gateway    the subnet's gateway address, or null
 * @param dnsServers DNS servers of the subnet
 */
public record Subnet(String cidr, String gateway, List<String> dnsServers) {
    public Subnet {
        Objects.requireNonNull(cidr, "cidr");
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }

    /** Whether this is an IPv6 subnet. */
    public boolean ipv6() {
        return cidr.contains(":");
    }

    /** The prefix length, e.g. 24 for "10.0.0.0/24". */
    public int prefixLength() {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("subnet '" + cidr + "' has no prefix length");
        }
        return Integer.parseInt(cidr.substring(slash + 1));
    }
}
