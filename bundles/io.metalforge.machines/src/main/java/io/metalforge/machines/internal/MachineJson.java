package io.metalforge.machines.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.metalforge.api.power.BmcSettings;
import io.metalforge.api.power.PowerState;

/**
 * A machine in MAAS API 2.0's shape: the fields python-libmaas's {@code Machine} and gomaasapi's {@code machine}
 * read (gomaasapi checks a schema: every field it requires is present, with empty lists and maps for what
 * Metalforge does not model yet: tags, block devices, memory).
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
        List<Map<String, Object>> interfaces = new ArrayList<>();
        for (int i = 0; i < m.macs().size(); i++) {
            interfaces.add(nic(m, i));
        }
        j.put("boot_interface", interfaces.isEmpty() ? null : interfaces.get(0));
        j.put("interface_set", interfaces);
        j.put("ip_addresses", List.of());
        j.put("tag_names", List.of());
        j.put("memory", 0);
        j.put("cpu_count", 0);
        j.put("storage", 0);
        j.put("hardware_info", Map.of());
        j.put("zone", Map.of("id", 1, "name", "default", "description", "", "resource_uri", PREFIX + "zones/default/"));
        j.put("pool", Map.of("id", 0, "name", "default", "description", "", "resource_uri",
                PREFIX + "resourcepool/0/"));
        j.put("physicalblockdevice_set", List.of());
        j.put("blockdevice_set", List.of());
        j.put("node_type", 0);
        j.put("node_type_name", "Machine");
        j.put("locked", false);
        j.put("created", m.created().toString());
        j.put("updated", m.updated().toString());
        j.put("resource_uri", uri);
        return j;
    }

    private static Map<String, Object> nic(MachineRow m, int i) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", i + 1);
        n.put("name", "eth" + i);
        n.put("type", "physical");
        n.put("enabled", true);
        n.put("mac_address", m.macs().get(i));
        n.put("effective_mtu", 1500);
        n.put("vlan", null);
        n.put("links", List.of());
        n.put("parents", List.of());
        n.put("children", List.of());
        n.put("tags", List.of());
        n.put("system_id", m.systemId());
        n.put("resource_uri", PREFIX + "nodes/" + m.systemId() + "/interfaces/" + (i + 1) + "/");
        return n;
    }
}
