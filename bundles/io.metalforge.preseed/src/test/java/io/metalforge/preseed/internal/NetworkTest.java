package io.metalforge.preseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.InterfaceType;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.NetworkInterface;

class NetworkTest {

    private static Machine with(List<NetworkInterface> nics) {
        return Fixtures.machine("amd64", BootMethod.BIOS, null, nics, Fixtures.disk("sda", 50));
    }

    private static NetworkInterface bond(String mode, Link... links) {
        return new NetworkInterface("bond0", InterfaceType.BOND, "52:54:00:00:00:01", 9000, List.of("eth1", "eth0"), 0,
                Map.of("bond_mode", mode, "bond_lacp_rate", "fast", "bond_num_grat_arp", "2", "bond_miimon", "100",
                        "accept-ra", "false"), List.of(links), true);
    }

    private static List<NetworkInterface> bonded(String mode) {
        // the bond first: the plan orders parents before children whatever the input order
        return List.of(bond(mode, Link.fixed(Fixtures.LAN, "10.0.0.9")),
                NetworkInterface.physical("eth0", "52:54:00:00:00:01", 9000, List.of()),
                NetworkInterface.physical("eth1", "52:54:00:00:00:02", 9000, List.of()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bondParametersFollowTheMode() {
        Map<String, Object> lacp = NetworkV2.network(NetworkPlan.of(with(bonded("802.3ad"))), true);
        Map<String, Object> bond = (Map<String, Object>) ((Map<String, Object>) lacp.get("bonds")).get("bond0");
        assertEquals(Map.of("mode", "802.3ad", "lacp-rate", "fast", "mii-monitor-interval", 100), bond.get("parameters"));
        assertEquals(List.of("eth0", "eth1"), bond.get("interfaces"));
        assertEquals(false, bond.get("accept-ra"), "other parameters pass through, typed");
        assertEquals(java.util.Set.of("eth0", "eth1"), ((Map<String, Object>) lacp.get("ethernets")).keySet());

        Map<String, Object> ab = NetworkV2.network(NetworkPlan.of(with(bonded("active-backup"))), true);
        Map<String, Object> p = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ab.get("bonds"))
                .get("bond0")).get("parameters");
        assertEquals(Map.of("mode", "active-backup", "gratuitous-arp", 2, "mii-monitor-interval", 100), p);
    }

    @Test
    @SuppressWarnings("unchecked")
    void v1WritesBooleansAsNumbersAndAGlobalNameserver() {
        NetworkInterface br = new NetworkInterface("br0", InterfaceType.BRIDGE, null, 0, List.of("eth0"), 0,
                Map.of("bridge_stp", "true", "bridge_fd", "15"), List.of(Link.fixed(Fixtures.LAN, "10.0.0.7")), true);
        Map<String, Object> net = NetworkV1.network(NetworkPlan.of(with(List.of(br,
                NetworkInterface.physical("eth0", "52:54:00:00:00:01", 0, List.of())))));
        List<Map<String, Object>> config = (List<Map<String, Object>>) net.get("config");
        assertEquals("eth0", config.get(0).get("id"));
        assertEquals(Map.of("bridge_fd", 15, "bridge_stp", 1), config.get(1).get("params"));
        assertEquals(List.of(Map.of("type", "manual")), config.get(0).get("subnets"));
        assertEquals("nameserver", config.get(2).get("type"));

        Map<String, Object> dhcpOnly = NetworkV1.network(NetworkPlan.of(with(List.of(Fixtures.dhcpNic()))));
        assertFalse(((List<Map<String, Object>>) dhcpOnly.get("config")).stream()
                .anyMatch(e -> "nameserver".equals(e.get("type"))), "no nameserver entry when all is DHCP");
    }

    @Test
    void malformedNetworksAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                new NetworkInterface("bond0", InterfaceType.BOND, null, 0, List.of("eth9"), 0, Map.of(), List.of(),
                        true)))));
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                new NetworkInterface("br0", InterfaceType.BRIDGE, null, 0, List.of("br1"), 0, Map.of(), List.of(), true),
                new NetworkInterface("br1", InterfaceType.BRIDGE, null, 0, List.of("br0"), 0, Map.of(), List.of(),
                        true)))));
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                NetworkInterface.physical("eth0", "not-a-mac", 0, List.of())))));
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                NetworkInterface.physical("eth0", "52:54:00:00:00:01", 100000, List.of())))));
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                NetworkInterface.physical("eth0/../x", "52:54:00:00:00:01", 0, List.of())))));
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                NetworkInterface.physical("eth0", "52:54:00:00:00:01", 0, List.of(Link.fixed(Fixtures.LAN,
                        "2001:db8::1")))))));
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                NetworkInterface.physical("eth0", "52:54:00:00:00:01", 0, List.of(Link.fixed(Fixtures.LAN,
                        "10.0.0.300")))))));
    }

    @Test
    void sizesAreBounded() {
        List<Link> many = java.util.Collections.nCopies(NetworkPlan.MAX_LINKS + 1, Link.dhcp4());
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(with(List.of(
                NetworkInterface.physical("eth0", "52:54:00:00:00:01", 0, many)))));
        List<io.metalforge.api.deploy.StaticRoute> routes = java.util.Collections.nCopies(NetworkPlan.MAX_ROUTES + 1,
                new io.metalforge.api.deploy.StaticRoute("10.0.0.0/24", "10.9.0.0/16", "10.0.0.254", 0));
        Machine m = new Machine("abc", "web01", "maas", "amd64", null, null, List.of(Fixtures.dhcpNic()), routes,
                List.of(Fixtures.disk("sda", 50)), null, null, null);
        assertThrows(IllegalArgumentException.class, () -> NetworkPlan.of(m));
    }

    @Test
    void disabledInterfacesAreLeftOut() {
        NetworkInterface off = new NetworkInterface("eth1", InterfaceType.PHYSICAL, "52:54:00:00:00:02", 0, List.of(),
                0, Map.of(), List.of(Link.dhcp4()), false);
        NetworkPlan plan = NetworkPlan.of(with(List.of(Fixtures.dhcpNic(), off)));
        assertEquals(List.of("eth0"), plan.ordered.stream().map(NetworkInterface::name).toList());
        assertTrue(Addresses.ipv6("2001:db8::1"));
        assertFalse(Addresses.ipv6("example.com"));
    }
}
