package io.metalforge.preseed.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.metalforge.api.deploy.InterfaceType;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.LinkMode;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.deploy.StaticRoute;
import io.metalforge.api.deploy.Subnet;

/**
 * The checked, ordered view of a machine's network that both network config versions are written from: enabled
 * interfaces with parents first, which link holds the default gateway of each address family, and the routing table
 * of every other subnet with a gateway (source routing).
 */
final class NetworkPlan {

    static final int MAX_INTERFACES = 256;
    static final int MAX_LINKS = 64;
    static final int MAX_ROUTES = 1024;
    static final int MAX_PARAMS = 64;
    static final int MAX_MTU = 65535;
    static final int MIN_MTU = 552;
    /** Tables 253-255 are the kernel's default, main and local tables. */
    static final int MAX_TABLE = 252;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,14}");

    final Machine machine;
    final List<NetworkInterface> ordered;
    final Link defaultV4;
    final Link defaultV6;
    /** Subnet CIDR to routing table, for subnets with a secondary gateway. */
    final Map<String, Integer> tables;

    private NetworkPlan(Machine machine, List<NetworkInterface> ordered, Link defaultV4, Link defaultV6,
            Map<String, Integer> tables) {
        this.machine = machine;
        this.ordered = ordered;
        this.defaultV4 = defaultV4;
        this.defaultV6 = defaultV6;
        this.tables = tables;
    }

    static NetworkPlan of(Machine m) {
        if (m.interfaces().size() > MAX_INTERFACES) {
            throw new IllegalArgumentException("at most " + MAX_INTERFACES + " interfaces");
        }
        if (m.routes().size() > MAX_ROUTES) {
            throw new IllegalArgumentException("at most " + MAX_ROUTES + " static routes");
        }
        Map<String, NetworkInterface> byName = new LinkedHashMap<>();
        for (NetworkInterface i : m.interfaces()) {
            check(i);
            if (byName.put(i.name(), i) != null) {
                throw new IllegalArgumentException("interface " + i.name() + " is defined twice");
            }
        }
        List<NetworkInterface> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (NetworkInterface i : byName.values()) {
            if (i.enabled()) {
                visit(i, byName, done, new LinkedHashSet<>(), ordered);
            }
        }
        Link v4 = null;
        Link v6 = null;
        Map<String, Integer> tables = new HashMap<>();
        for (NetworkInterface i : ordered) {
            for (Link l : i.links()) {
                if (l.mode() != LinkMode.STATIC || l.subnet().gateway() == null) {
                    continue;
                }
                if (!l.subnet().ipv6() && v4 == null) {
                    v4 = l;
                } else if (l.subnet().ipv6() && v6 == null) {
                    v6 = l;
                } else if (!sameSubnet(l, v4) && !sameSubnet(l, v6) && !tables.containsKey(l.subnet().cidr())) {
                    if (tables.size() == MAX_TABLE) {
                        throw new IllegalArgumentException("more than " + MAX_TABLE + " subnets with gateways");
                    }
                    tables.put(l.subnet().cidr(), tables.size() + 1);
                }
            }
        }
        for (StaticRoute r : m.routes()) {
            Addresses.requireCidr("route source", r.source());
            Addresses.requireCidr("route destination", r.destination());
            Addresses.requireIp("route gateway", r.gateway());
        }
        return new NetworkPlan(m, List.copyOf(ordered), v4, v6, tables);
    }

    private static boolean sameSubnet(Link l, Link other) {
        return other != null && other.subnet().cidr().equals(l.subnet().cidr());
    }

    private static void check(NetworkInterface i) {
        String what = "interface " + i.name();
        if (i.links().size() > MAX_LINKS || i.params().size() > MAX_PARAMS || i.parents().size() > MAX_LINKS) {
            throw new IllegalArgumentException(what + ": at most " + MAX_LINKS + " links and parents and "
                    + MAX_PARAMS + " parameters");
        }
        if (!NAME.matcher(i.name()).matches()) {
            throw new IllegalArgumentException(what + ": names are 1-15 letters, digits, '.', '_', ':' or '-'");
        }
        if (i.mtu() != 0 && (i.mtu() < MIN_MTU || i.mtu() > MAX_MTU)) {
            throw new IllegalArgumentException(what + ": mtu " + i.mtu() + " is outside " + MIN_MTU + "-" + MAX_MTU);
        }
        if (i.type() == InterfaceType.PHYSICAL) {
            Addresses.requireMac(what, i.mac());
            if (!i.parents().isEmpty()) {
                throw new IllegalArgumentException(what + ": a physical interface has no parents");
            }
        } else if (i.mac() != null) {
            Addresses.requireMac(what, i.mac());
        }
        if (i.type() == InterfaceType.VLAN && (i.parents().size() != 1 || i.vlanId() < 1 || i.vlanId() > 4094)) {
            throw new IllegalArgumentException(what + ": a VLAN needs one parent and an id in 1-4094");
        }
        if (i.type() == InterfaceType.BOND && i.parents().isEmpty()) {
            throw new IllegalArgumentException(what + ": a bond needs at least one member");
        }
        for (Link l : i.links()) {
            if (l.mode() == LinkMode.STATIC) {
                Subnet s = l.subnet();
                Addresses.requireCidr(what, s.cidr());
                Addresses.requireIp(what, l.address());
                if (Addresses.ipv6(l.address()) != s.ipv6()) {
                    throw new IllegalArgumentException(what + ": address " + l.address() + " is not of subnet "
                            + s.cidr() + "'s family");
                }
                if (s.gateway() != null) {
                    Addresses.requireIp(what + " gateway", s.gateway());
                }
                s.dnsServers().forEach(d -> Addresses.requireIp(what + " DNS server", d));
            }
        }
    }

    private static void visit(NetworkInterface i, Map<String, NetworkInterface> byName, Set<String> done,
            Set<String> path, List<NetworkInterface> out) {
        if (done.contains(i.name())) {
            return;
        }
        if (!path.add(i.name())) {
            throw new IllegalArgumentException("interfaces form a cycle: " + String.join(" -> ", path) + " -> "
                    + i.name());
        }
        for (String p : i.parents()) {
            NetworkInterface parent = byName.get(p);
            if (parent == null) {
                throw new IllegalArgumentException("interface " + i.name() + ": parent " + p + " is not defined");
            }
            if (!parent.enabled()) {
                throw new IllegalArgumentException("interface " + i.name() + ": parent " + p + " is disabled");
            }
            visit(parent, byName, done, path, out);
        }
        path.remove(i.name());
        done.add(i.name());
        out.add(i);
    }

    /** Static links of an interface. */
    static List<Link> staticLinks(NetworkInterface i) {
        return i.links().stream().filter(l -> l.mode() == LinkMode.STATIC).toList();
    }

    /** DNS servers for a static link: the subnet's, or the machine's defaults. */
    List<String> dnsFor(Link l) {
        return l.subnet().dnsServers().isEmpty() ? machine.dnsServers() : l.subnet().dnsServers();
    }

    /** The search list: the machine's domain, then the other domains. */
    List<String> search() {
        List<String> s = new ArrayList<>();
        s.add(machine.domain());
        machine.searchDomains().stream().filter(d -> !s.contains(d)).forEach(s::add);
        return s;
    }

    /** Static routes leaving from a subnet. */
    List<StaticRoute> routesFrom(Subnet s) {
        return machine.routes().stream().filter(r -> r.source().equals(s.cidr())).toList();
    }

    /** Interface parameters that are neither bond_*, bridge_* nor mtu, with "true"/"false"/digits typed. */
    static Map<String, Object> passThrough(NetworkInterface i) {
        Map<String, Object> out = new LinkedHashMap<>();
        i.params().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("bond_") && !e.getKey().startsWith("bridge_")
                        && !e.getKey().equals("mtu"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put(e.getKey(), typed(e.getValue())));
        return out;
    }

    static Object typed(String v) {
        if ("true".equalsIgnoreCase(v) || "false".equalsIgnoreCase(v)) {
            return Boolean.parseBoolean(v);
        }
        if (v.matches("-?\\d{1,9}")) {
            return Integer.parseInt(v);
        }
        return v;
    }
}
