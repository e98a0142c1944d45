package io.metalforge.preseed.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.LinkMode;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.deploy.StaticRoute;

/** Network config version 1 (curtin/cloud-init list form), for OSes without netplan. */
final class NetworkV1 {

    private NetworkV1() {
    }

    /** The {@code network:} value. */
    static Map<String, Object> network(NetworkPlan plan) {
        List<Object> config = new ArrayList<>();
        Set<String> allDns = new LinkedHashSet<>();
        boolean anyStatic = false;
        for (NetworkInterface i : plan.ordered) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", i.type().name().toLowerCase(java.util.Locale.ROOT));
            e.put("id", i.name());
            e.put("name", i.name());
            if (i.mac() != null) {
                e.put("mac_address", i.mac().toLowerCase(java.util.Locale.ROOT));
            }
            switch (i.type()) {
                case PHYSICAL -> {
                    // nothing more
                }
                case VLAN -> {
                    e.put("vlan_link", i.parents().get(0));
                    e.put("vlan_id", i.vlanId());
                }
                case BOND -> {
                    e.put("bond_interfaces", i.parents().stream().sorted().toList());
                    e.put("params", params(i, "bond_"));
                }
                case BRIDGE -> {
                    e.put("bridge_interfaces", i.parents().stream().sorted().toList());
                    e.put("params", params(i, "bridge_"));
                }
            }
            if (i.mtu() > 0) {
                e.put("mtu", i.mtu());
            }
            List<Object> subnets = new ArrayList<>();
            for (Link l : i.links()) {
                if (l.mode() == LinkMode.STATIC) {
                    anyStatic = true;
                    allDns.addAll(plan.dnsFor(l));
                    subnets.add(staticSubnet(plan, l));
                } else {
                    subnets.add(Maps.of("type", switch (l.mode()) {
                        case DHCP4 -> "dhcp4";
                        case DHCP6 -> "dhcp6";
                        default -> "manual";
                    }));
                }
            }
            if (subnets.isEmpty()) {
                subnets.add(Maps.of("type", "manual"));
            }
            e.put("subnets", subnets);
            config.add(e);
        }
        if (anyStatic) {
            config.add(Maps.of("type", "nameserver", "address", List.copyOf(allDns), "search", plan.search()));
        }
        return Maps.of("version", 1, "config", config);
    }

    private static Map<String, Object> staticSubnet(NetworkPlan plan, Link l) {
        Map<String, Object> s = Maps.of("type", "static", "address", l.address() + "/" + l.subnet().prefixLength());
        if (l == plan.defaultV4 || l == plan.defaultV6) {
            s.put("gateway", l.subnet().gateway());
        }
        s.put("dns_nameservers", plan.dnsFor(l));
        s.put("dns_search", plan.search());
        List<Object> routes = new ArrayList<>();
        for (StaticRoute r : plan.routesFrom(l.subnet())) {
            routes.add(Maps.of("destination", r.destination(), "gateway", r.gateway(), "metric", r.metric()));
        }
        if (!routes.isEmpty()) {
            s.put("routes", routes);
        }
        return s;
    }

    /** bond_/bridge_ parameters renamed with "-" for bonds (bond-mode), booleans as 0/1. */
    private static Map<String, Object> params(NetworkInterface i, String prefix) {
        Map<String, Object> p = new LinkedHashMap<>();
        i.params().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String key = prefix.equals("bond_") ? e.getKey().replace('_', '-') : e.getKey();
                    Object v = NetworkPlan.typed(e.getValue());
                    p.put(key, v instanceof Boolean b ? (b ? 1 : 0) : v);
                });
        return p;
    }
}
