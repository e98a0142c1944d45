package io.metalforge.preseed.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.metalforge.api.deploy.InterfaceType;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.deploy.StaticRoute;

/** Network config version 2 (netplan), optionally with source routing for subnets with secondary gateways. */
final class NetworkV2 {

    /** MAAS bond parameter to netplan name. */
    private static final Map<String, String> BOND = Map.of(
            "bond_mode", "mode",
            "bond_lacp_rate", "lacp-rate",
            "bond_xmit_hash_policy", "transmit-hash-policy",
            "bond_miimon", "mii-monitor-interval",
            "bond_downdelay", "down-delay",
            "bond_updelay", "up-delay",
            "bond_num_grat_arp", "gratuitous-arp");
    private static final Map<String, String> BRIDGE = Map.of(
            "bridge_stp", "stp",
            "bridge_fd", "forward-delay");

    private NetworkV2() {
    }

    /** The {@code network:} value: version 2 with non-empty sections only. */
    static Map<String, Object> network(NetworkPlan plan, boolean sourceRouting) {
        Map<String, Map<String, Object>> ethernets = new LinkedHashMap<>();
        Map<String, Map<String, Object>> vlans = new LinkedHashMap<>();
        Map<String, Map<String, Object>> bonds = new LinkedHashMap<>();
        Map<String, Map<String, Object>> bridges = new LinkedHashMap<>();
        for (NetworkInterface i : plan.ordered) {
            Map<String, Object> e = new LinkedHashMap<>();
            switch (i.type()) {
                case PHYSICAL -> {
                    e.put("match", Maps.of("macaddress", i.mac().toLowerCase(java.util.Locale.ROOT)));
                    e.put("set-name", i.name());
                    ethernets.put(i.name(), e);
                }
                case VLAN -> {
                    e.put("id", i.vlanId());
                    e.put("link", i.parents().get(0));
                    vlans.put(i.name(), e);
                }
                case BOND -> {
                    putMac(e, i);
                    e.put("interfaces", i.parents().stream().sorted().toList());
                    Map<String, Object> p = bondParameters(i);
                    if (!p.isEmpty()) {
                        e.put("parameters", p);
                    }
                    bonds.put(i.name(), e);
                }
                case BRIDGE -> {
                    putMac(e, i);
                    e.put("interfaces", i.parents().stream().sorted().toList());
                    Map<String, Object> p = mapped(i, BRIDGE);
                    if (!p.isEmpty()) {
                        e.put("parameters", p);
                    }
                    bridges.put(i.name(), e);
                }
            }
            if (i.mtu() > 0) {
                e.put("mtu", i.mtu());
            }
            addresses(plan, i, e, sourceRouting);
            e.putAll(NetworkPlan.passThrough(i));
            if (i.type() != InterfaceType.VLAN) {
                e.put("optional", true);
            }
        }
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("version", 2);
        putIfAny(net, "ethernets", ethernets);
        putIfAny(net, "vlans", vlans);
        putIfAny(net, "bonds", bonds);
        putIfAny(net, "bridges", bridges);
        return net;
    }

    private static void putMac(Map<String, Object> e, NetworkInterface i) {
        if (i.mac() != null) {
            e.put("macaddress", i.mac().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void putIfAny(Map<String, Object> net, String key, Map<String, ?> section) {
        if (!section.isEmpty()) {
            net.put(key, section);
        }
    }

    /** lacp-rate only means something for 802.3ad, gratuitous ARP only for active-backup. */
    private static Map<String, Object> bondParameters(NetworkInterface i) {
        Map<String, Object> p = mapped(i, BOND);
        String mode = i.params().getOrDefault("bond_mode", "balance-rr");
        if (!"802.3ad".equals(mode)) {
            p.remove("lacp-rate");
        }
        if (!"active-backup".equals(mode)) {
            p.remove("gratuitous-arp");
        }
        return p;
    }

    private static Map<String, Object> mapped(NetworkInterface i, Map<String, String> names) {
        Map<String, Object> p = new LinkedHashMap<>();
        i.params().entrySet().stream().filter(e -> names.containsKey(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> p.put(names.get(e.getKey()), NetworkPlan.typed(e.getValue())));
        return p;
    }

    private static void addresses(NetworkPlan plan, NetworkInterface i, Map<String, Object> e, boolean sourceRouting) {
        List<String> addresses = new ArrayList<>();
        Set<String> dns = new LinkedHashSet<>();
        List<Map<String, Object>> routes = new ArrayList<>();
        List<Map<String, Object>> policy = new ArrayList<>();
        for (Link l : i.links()) {
            switch (l.mode()) {
                case DHCP4 -> e.put("dhcp4", true);
                case DHCP6 -> e.put("dhcp6", true);
                case LINK_UP -> {
                    // up, no address
                }
                case STATIC -> {
                    addresses.add(l.address() + "/" + l.subnet().prefixLength());
                    dns.addAll(plan.dnsFor(l));
                    if (l == plan.defaultV4) {
                        e.put("gateway4", l.subnet().gateway());
                    } else if (l == plan.defaultV6) {
                        e.put("gateway6", l.subnet().gateway());
                    }
                    for (StaticRoute r : plan.routesFrom(l.subnet())) {
                        routes.add(Maps.of("to", r.destination(), "via", r.gateway(), "metric", r.metric()));
                    }
                    Integer table = plan.tables.get(l.subnet().cidr());
                    if (sourceRouting && table != null && l != plan.defaultV4 && l != plan.defaultV6) {
                        String net = l.subnet().cidr();
                        routes.add(Maps.of("to", l.subnet().ipv6() ? "::/0" : "0.0.0.0/0", "via",
                                l.subnet().gateway(), "table", table));
                        policy.add(Maps.of("from", net, "table", table, "priority", 1000));
                        policy.add(Maps.of("from", net, "to", net, "table", 254));
                    }
                }
            }
        }
        if (!addresses.isEmpty()) {
            e.put("addresses", addresses);
            e.put("nameservers", Maps.of("addresses", List.copyOf(dns), "search", plan.search()));
        }
        if (!routes.isEmpty()) {
            e.put("routes", routes);
        }
        if (!policy.isEmpty()) {
            e.put("routing-policy", policy);
        }
    }
}
