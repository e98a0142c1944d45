package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * A static route, attached to the interfaces that hold an address on {@code source}.
 *
 * @param source      CIDR of the subnet the route leaves from
 * @param destination CIDR of the destination network
 * @param gateway     next hop
 * @param metric      route metric
 */
public record StaticRoute(String source, String destination, String gateway, int metric) {
    public StaticRoute {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
    }
}
