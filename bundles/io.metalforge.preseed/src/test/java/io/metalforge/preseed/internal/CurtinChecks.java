package io.metalforge.preseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.Machine;

/**
 * Structural checks of curtin documents, from curtin's documented rules (curtin itself is not installable here):
 * storage ids unique, every reference to an earlier entry, partitions inside their disk, exactly one root mount and
 * one grub device, mounts last and sorted; network v1 links to earlier entries; main document completed.
 */
final class CurtinChecks {

    private static final Map<String, List<String>> REFERENCES = Map.of(
            "partition", List.of("device"),
            "format", List.of("volume"),
            "mount", List.of("device"),
            "lvm_partition", List.of("volgroup"),
            "lvm_volgroup", List.of("devices"));

    private CurtinChecks() {
    }

    @SuppressWarnings("unchecked")
    static void storage(String yaml, Machine m, String what) throws IOException {
        Map<String, Object> doc = Yaml.read(yaml);
        assertEquals(Map.of("builtin", List.of("curtin", "block-meta", "custom")), doc.get("partitioning_commands"),
                what);
        Map<String, Object> storage = (Map<String, Object>) doc.get("storage");
        assertEquals(1, storage.get("version"), what);
        List<Map<String, Object>> config = (List<Map<String, Object>>) storage.get("config");
        Map<String, Map<String, Object>> seen = new HashMap<>();
        Map<String, Long> used = new HashMap<>();
        int roots = 0;
        int grub = 0;
        boolean mountsStarted = false;
        String lastMount = "";
        for (Map<String, Object> e : config) {
            String id = (String) e.get("id");
            String type = (String) e.get("type");
            assertTrue(id != null && !id.isBlank(), what + ": entry without id " + e);
            if (seen.containsKey(id)) {
                fail(what + ": id " + id + " used twice");
            }
            for (String field : REFERENCES.getOrDefault(type, List.of())) {
                Object ref = e.get(field);
                List<Object> refs = ref instanceof List<?> l ? (List<Object>) l : List.of(ref);
                assertTrue(!refs.isEmpty(), what + ": " + id + "." + field + " is empty");
                for (Object r : refs) {
                    assertTrue(seen.containsKey(r), what + ": " + id + "." + field + " refers to '" + r
                            + "', which is not an earlier entry");
                }
            }
            if (Boolean.TRUE.equals(e.get("grub_device"))) {
                grub++;
            }
            switch (type) {
                case "disk" -> {
                    Disk d = m.disks().stream().filter(x -> x.name().equals(id)).findFirst()
                            .orElseThrow(() -> new AssertionError(what + ": disk " + id + " is not the machine's"));
                    assertTrue(e.containsKey("path") || e.containsKey("serial"), what + ": disk " + id
                            + " is not identified");
                    used.put(id, 0L);
                    assertTrue(d.sizeBytes() > 0);
                }
                case "partition" -> {
                    String disk = (String) e.get("device");
                    assertTrue(seen.get(disk).containsKey("ptable"), what + ": " + id + " on a disk without ptable");
                    long start = used.get(disk) == 0 ? bytes((String) e.get("offset"), what + " " + id) : 0;
                    used.merge(disk, start + bytes((String) e.get("size"), what + " " + id), Long::sum);
                    long size = m.disks().stream().filter(x -> x.name().equals(disk)).findFirst().get().sizeBytes();
                    assertTrue(used.get(disk) <= size, what + ": partitions of " + disk + " end at "
                            + used.get(disk) + ", past its size " + size);
                    int number = (Integer) e.get("number");
                    assertEquals(id, disk + "-part" + number, what);
                }
                case "format" -> assertTrue(StorageV1.FSTYPES.contains(e.get("fstype")), what + ": fstype of " + id);
                case "mount" -> {
                    mountsStarted = true;
                    String path = (String) e.get("path");
                    assertTrue(path.compareTo(lastMount) > 0, what + ": mounts not sorted at " + path);
                    lastMount = path;
                    if ("/".equals(path)) {
                        roots++;
                    }
                }
                case "lvm_volgroup", "lvm_partition" -> {
                    // references checked above
                }
                default -> fail(what + ": unexpected storage type " + type);
            }
            assertTrue(!mountsStarted || "mount".equals(type), what + ": " + id + " comes after the mounts");
            seen.put(id, e);
        }
        assertEquals(1, roots, what + ": exactly one root mount");
        assertEquals(1, grub, what + ": exactly one grub device");
        if (m.bootMethod() == BootMethod.UEFI && !m.architecture().startsWith("ppc64")) {
            assertTrue(config.stream().anyMatch(e -> "/boot/efi".equals(e.get("path"))), what + ": UEFI needs /boot/efi");
        }
    }

    private static long bytes(String size, String what) {
        assertTrue(size != null && size.matches("\\d+B"), what + ": size '" + size + "' is not <n>B");
        return Long.parseLong(size.substring(0, size.length() - 1));
    }

    @SuppressWarnings("unchecked")
    static void networkV1(String yaml, String what) throws IOException {
        Map<String, Object> doc = Yaml.read(yaml);
        Map<String, Object> network = (Map<String, Object>) doc.get("network");
        assertEquals(1, network.get("version"), what);
        Set<String> ids = new HashSet<>();
        int nameservers = 0;
        for (Map<String, Object> e : (List<Map<String, Object>>) network.get("config")) {
            String type = (String) e.get("type");
            if ("nameserver".equals(type)) {
                nameservers++;
                continue;
            }
            String id = (String) e.get("id");
            assertTrue(ids.add(id), what + ": network id " + id + " twice");
            List<Object> links = new ArrayList<>();
            if (e.get("vlan_link") != null) {
                links.add(e.get("vlan_link"));
            }
            links.addAll((List<Object>) e.getOrDefault("bond_interfaces", List.of()));
            links.addAll((List<Object>) e.getOrDefault("bridge_interfaces", List.of()));
            for (Object l : links) {
                assertTrue(ids.contains(l) && !l.equals(id), what + ": " + id + " links to " + l
                        + ", not an earlier interface");
            }
            List<Map<String, Object>> subnets = (List<Map<String, Object>>) e.get("subnets");
            assertTrue(subnets != null && !subnets.isEmpty(), what + ": " + id + " has no subnets");
            for (Map<String, Object> s : subnets) {
                assertTrue(Set.of("static", "dhcp", "dhcp4", "dhcp6", "manual").contains(s.get("type")), what);
            }
            ((Map<String, Object>) e.getOrDefault("params", Map.of())).values()
                    .forEach(v -> assertTrue(!(v instanceof Boolean), what + ": v1 booleans are 0/1"));
        }
        assertTrue(nameservers <= 1, what);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> main(String yaml, String what) throws IOException {
        Map<String, Object> doc = Yaml.read(yaml);
        Map<String, Object> debconf = (Map<String, Object>) doc.get("debconf_selections");
        assertEquals("grub2   grub2/update_nvram  boolean false", debconf.get("grub2"), what);
        assertTrue(((String) debconf.get("maas")).contains("cloud-init/datasources  multiselect MAAS"), what);
        Map<String, Object> late = (Map<String, Object>) doc.get("late_commands");
        assertTrue(late.containsKey("maas"), what + ": netboot_off late command");
        assertTrue(!doc.containsKey("power_state") && !doc.containsKey("apt_proxy"), what);
        return doc;
    }
}
