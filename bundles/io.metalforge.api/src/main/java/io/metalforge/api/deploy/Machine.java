package io.metalforge.api.deploy;

import java.util.List;
import java.util.Objects;

/**
 * What a deployment needs to know about a machine.
 *
 * @param systemId      MAAS system id, e.g. "4y3h7n"
 * @param hostname      host name
 * @param domain        DNS domain, e.g. "maas"
 * @param architecture  architecture, e.g. "amd64", "arm64", "ppc64el"
 * @param subarch       sub-architecture, e.g. "generic", "ga-24.04"
 * @param bootMethod    BIOS or UEFI
 * @param interfaces    network interfaces; parents may appear in any order
 * @param routes        static routes
 * @param disks         block devices
 * @param storage       storage layout; null means {@link StorageLayout#flat()}
 * @param dnsServers    default DNS servers (for interfaces whose subnets name none)
 * @param searchDomains extra DNS search domains
 */
public record Machine(String systemId, String hostname, String domain, String architecture, String subarch,
        BootMethod bootMethod, List<NetworkInterface> interfaces, List<StaticRoute> routes, List<Disk> disks,
        StorageLayout storage, List<String> dnsServers, List<String> searchDomains) {

    public Machine {
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(architecture, "architecture");
        domain = domain == null || domain.isBlank() ? "maas" : domain;
        subarch = subarch == null || subarch.isBlank() ? "generic" : subarch;
        bootMethod = bootMethod == null ? BootMethod.BIOS : bootMethod;
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        routes = routes == null ? List.of() : List.copyOf(routes);
        disks = disks == null ? List.of() : List.copyOf(disks);
        storage = storage == null ? StorageLayout.flat() : storage;
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        searchDomains = searchDomains == null ? List.of() : List.copyOf(searchDomains);
    }
}
