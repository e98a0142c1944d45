package io.metalforge.api.deploy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network interface of a machine.
 *
 * @param name    interface name as the installed system should call it, e.g. "eth0", "bond0", "bond0.100"
 * @param type    physical, VLAN, bond or bridge
 * @param mac     MAC address; required for physical interfaces, optional (inherited) for the others
 * @param mtu     MTU, or 0 for the default
 * @param parents names of the parent interfaces (bond members, bridge ports, the VLAN's link)
 * @param vlanId  the VLAN id for {@link InterfaceType#VLAN}, otherwise 0
 * @param params  MAAS-style interface parameters, e.g. {@code bond_mode}, {@code bond_miimon},
 *                {@code bridge_stp}; other keys are passed through
 * @param links   address configuration, in order
 * @param enabled disabled interfaces are left out of the configuration
 */
public record NetworkInterface(String name, InterfaceType type, String mac, int mtu, List<String> parents,
        int vlanId, Map<String, String> params, List<Link> links, boolean enabled) {

    public NetworkInterface {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        parents = parents == null ? List.of() : List.copyOf(parents);
        params = params == null ? Map.of() : Map.copyOf(params);
        links = links == null ? List.of() : List.copyOf(links);
        if (mtu < 0) {
            throw new IllegalArgumentException("interface " + name + ": mtu must not be negative");
        }
    }

    /** An enabled physical interface. */
    public static NetworkInterface physical(String name, String mac, int mtu, List<Link> links) {
        return new NetworkInterface(name, InterfaceType.PHYSICAL, mac, mtu, List.of(), 0, Map.of(), links, true);
    }
}
