package io.metalforge.machines.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.power.BmcSettings;
import io.metalforge.api.power.PowerState;

/**
 * A machine in MAAS API 2.0's shape: the fields python-libmaas's {@code Machine} and gomaasapi's {@code machine}
 * read (gomaasapi checks a schema: every field it requires is present). What the hardware given at create says is
 * shown as MAAS shows what commissioning found: disks as physical block devices (and the total as {@code storage},
 * in MB as MAAS counts it), interfaces with their MACs, links and static addresses ({@code ip_addresses}), the boot
 * interface (the first MAC's, the one the machine netboots from), {@code memory} (MiB) and {@code cpu_count}. Tags
 * stay empty: Metalforge does not model them.
 */
final class MachineJson {

    static final String PREFIX = "/MAAS/api/2.0/";

    private MachineJson() {
    }

    static Map<String, Object> of(MachineRow m, BmcSettings bmc, PowerState state) {
        Map<String, Object> j = new LinkedHashMap<>();
        String uri = PREFIX + "machines/" + m.systemId() + "/";
        j.put("system_id", m.systemId());
        j.put("hostname", m.hostname());
        j.put("fqdn", m.hostname() + "." + m.domain());
        j.put("domain", Map.of("id", 0, "name", m.domain(), "resource_uri", PREFIX + "domains/0/"));
        j.put("status", m.status().code());
        j.put("status_name", m.status().label());
        j.put("status_message", m.statusMessage().isEmpty() ? null : m.statusMessage());
        j.put("architecture", m.architecture());
        j.put("osystem", m.osystem());
        j.put("distro_series", m.distroSeries());
        j.put("hwe_kernel", m.hweKernel().isEmpty() ? null : m.hweKernel());
        j.put("owner", m.owner().isEmpty() ? null : m.owner());
        j.put("owner_data", Map.of());
        j.put("power_type", bmc == null ? "" : bmc.driver());
        j.put("power_state", state == null ? "unknown" : state.name().toLowerCase(Locale.ROOT));
        j.put("netboot", m.netboot());
        Machine hw = Hardware.machine(m);
        Hardware.Extra extra = Hardware.extra(m.hardware());
        List<Map<String, Object>> interfaces = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        Map<String, Object> boot = null;
        String bootMac = m.macs().isEmpty() ? null : m.macs().get(0);
        int linkId = 0;
        for (int i = 0; i < hw.interfaces().size(); i++) {
            NetworkInterface nic = hw.interfaces().get(i);
            List<Map<String, Object>> links = new ArrayList<>();
            for (Link l : nic.links()) {
                Map<String, Object> link = new LinkedHashMap<>();
                link.put("id", ++linkId);
                link.put("mode", switch (l.mode()) {
                case STATIC -> "static";
                case DHCP4, DHCP6 -> "dhcp";
                case LINK_UP -> "link_up";
                });
                if (l.address() != null && !l.address().isBlank()) {
                    link.put("ip_address", l.address());
                    addresses.add(l.address());
                }
                links.add(link);
            }
            Map<String, Object> n = nic(m, hw, i, links);
            interfaces.add(n);
            if (boot == null && nic.mac() != null && nic.mac().equalsIgnoreCase(bootMac)) {
                boot = n;
            }
        }
        j.put("boot_interface", boot != null ? boot : interfaces.isEmpty() ? null : interfaces.get(0));
        j.put("interface_set", interfaces);
        j.put("ip_addresses", addresses);
        j.put("tag_names", List.of());
        j.put("memory", extra.memory());
        j.put("cpu_count", extra.cpuCount());
        List<Map<String, Object>> disks = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < hw.disks().size(); i++) {
            disks.add(disk(m, hw.disks().get(i), i));
            bytes += hw.disks().get(i).sizeBytes();
        }
        j.put("storage", bytes / 1_000_000.0); // MAAS: the physical disks' total in MB
        j.put("hardware_info", Map.of());
        j.put("zone", Map.of("id", 1, "name", "default", "description", "", "resource_uri", PREFIX + "zones/default/"));
        j.put("pool", Map.of("id", 0, "name", "default", "description", "", "resource_uri",
                PREFIX + "resourcepool/0/"));
        j.put("physicalblockdevice_set", disks);
        j.put("blockdevice_set", disks);
        j.put("node_type", 0);
        j.put("node_type_name", "Machine");
        j.put("locked", false);
        j.put("created", m.created().toString());
        j.put("updated", m.updated().toString());
        j.put("resource_uri", uri);
        return j;
    }

    private static Map<String, Object> nic(MachineRow m, Machine hw, int i, List<Map<String, Object>> links) {
        NetworkInterface nic = hw.interfaces().get(i);
        List<String> children = new ArrayList<>();
        for (NetworkInterface other : hw.interfaces()) {
            if (other.parents().contains(nic.name())) {
                children.add(other.name());
            }
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", i + 1);
        n.put("name", nic.name());
        n.put("type", nic.type().name().toLowerCase(Locale.ROOT));
        n.put("enabled", nic.enabled());
        n.put("mac_address", nic.mac());
        n.put("effective_mtu", nic.mtu() > 0 ? nic.mtu() : 1500);
        n.put("vlan", null);
        n.put("links", links);
        n.put("parents", nic.parents());
        n.put("children", children);
        n.put("tags", List.of());
        n.put("system_id", m.systemId());
        n.put("resource_uri", PREFIX + "nodes/" + m.systemId() + "/interfaces/" + (i + 1) + "/");
        return n;
    }

    /** A disk as MAAS shows a physical block device commissioning found (no partitions: nothing is deployed). */
    private static Map<String, Object> disk(MachineRow m, Disk d, int i) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", i + 1);
        b.put("name", d.name());
        b.put("type", "physical");
        b.put("model", d.model());
        b.put("serial", d.serial());
        b.put("id_path", d.idPath());
        b.put("path", "/dev/disk/by-dname/" + d.name());
        b.put("uuid", null);
        b.put("size", d.sizeBytes());
        b.put("block_size", 512);
        b.put("used_size", 0);
        b.put("available_size", d.sizeBytes());
        b.put("used_for", "Unused");
        b.put("tags", List.of());
        b.put("filesystem", null);
        b.put("partitions", List.of());
        b.put("system_id", m.systemId());
        b.put("resource_uri", PREFIX + "nodes/" + m.systemId() + "/blockdevices/" + (i + 1) + "/");
        return b;
    }
}
