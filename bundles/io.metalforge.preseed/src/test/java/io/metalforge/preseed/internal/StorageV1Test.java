package io.metalforge.preseed.internal;

import static io.metalforge.preseed.internal.Fixtures.disk;
import static io.metalforge.preseed.internal.Fixtures.dhcpNic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.ExtraVolume;
import io.metalforge.api.deploy.LayoutType;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.StorageLayout;

class StorageV1Test {

    private static final long GIB = 1L << 30;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> config(Machine m, String os, String release) throws Exception {
        Map<String, Object> s = StorageV1.storage(m, os, release);
        CurtinChecks.storage(Yaml.write(Map.of("partitioning_commands",
                Map.of("builtin", List.of("curtin", "block-meta", "custom")), "storage", s)), m, "test");
        return (List<Map<String, Object>>) s.get("config");
    }

    private static Machine machine(String arch, BootMethod boot, StorageLayout layout, Disk... disks) {
        return Fixtures.machine(arch, boot, layout, List.of(dhcpNic()), disks);
    }

    private static Map<String, Object> byId(List<Map<String, Object>> c, String id) {
        return c.stream().filter(e -> id.equals(e.get("id"))).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void amd64BiosGetsGptWithBiosGrubAndRootTakesTheRest() throws Exception {
        List<Map<String, Object>> c = config(machine("amd64", BootMethod.BIOS, null, disk("sda", 100)), "ubuntu",
                "noble");
        Map<String, Object> sda = byId(c, "sda");
        assertEquals("gpt", sda.get("ptable"));
        assertEquals(true, sda.get("grub_device"));
        assertEquals("QEMU HARDDISK", sda.get("model"));
        assertEquals("bios_grub", byId(c, "sda-part1").get("flag"));
        assertEquals("4194304B", byId(c, "sda-part1").get("offset"));
        long root = Long.parseLong(((String) byId(c, "sda-part2").get("size")).replace("B", ""));
        assertEquals(100 * GIB - 8 * StorageV1.MIB, root, "all but offset, bios_grub and end, aligned to 4 MiB");
        assertEquals("/", c.get(c.size() - 1).get("path"));
    }

    @Test
    void uefiGetsAnEfiPartitionAndEsxiNoBiosGrub() throws Exception {
        List<Map<String, Object>> c = config(machine("amd64", BootMethod.UEFI, null, disk("sda", 100)), "ubuntu",
                "noble");
        assertEquals("boot", byId(c, "sda-part1").get("flag"));
        assertEquals("fat32", byId(c, "sda-part1_format").get("fstype"));
        assertEquals(List.of("/", "/boot/efi"), c.stream().filter(e -> "mount".equals(e.get("type")))
                .map(e -> e.get("path")).toList());
        List<Map<String, Object>> esxi = config(machine("amd64", BootMethod.BIOS, null, disk("sda", 100)), "esxi",
                "7.0");
        assertFalse(esxi.stream().anyMatch(e -> "bios_grub".equals(e.get("flag"))));
    }

    @Test
    void ppc64elGetsPrepAndArm64BiosGetsMsdosWithBoot() throws Exception {
        List<Map<String, Object>> ppc = config(machine("ppc64el", BootMethod.BIOS, null, disk("sda", 50)), "ubuntu",
                "noble");
        Map<String, Object> prep = byId(ppc, "sda-part1");
        assertEquals("prep", prep.get("flag"));
        assertEquals("zero", prep.get("wipe"));
        assertEquals(true, prep.get("grub_device"));
        assertFalse(byId(ppc, "sda").containsKey("grub_device"));

        List<Map<String, Object>> arm = config(machine("arm64", BootMethod.BIOS, null, disk("sda", 50)), "ubuntu",
                "noble");
        assertEquals("msdos", byId(arm, "sda").get("ptable"));
        assertEquals("/boot", byId(arm, "sda-part1_mount").get("path"));
        assertEquals((512L << 20) + "B", byId(arm, "sda-part1").get("size"));
    }

    @Test
    void lvmLayoutPutsRootOnALogicalVolume() throws Exception {
        List<Map<String, Object>> c = config(machine("amd64", BootMethod.UEFI,
                new StorageLayout(LayoutType.LVM, null, 20 * GIB, 0, List.of()), disk("sda", 100)), "ubuntu", "noble");
        assertEquals(List.of("sda-part2"), byId(c, "vgroot").get("devices"));
        assertEquals(20 * GIB + "B", byId(c, "vgroot-lvroot").get("size"));
        assertEquals("vgroot-lvroot", byId(c, "vgroot-lvroot_format").get("volume"));
    }

    @Test
    void customLayoutSizesBootAndExtraVolumes() throws Exception {
        StorageLayout layout = new StorageLayout(LayoutType.CUSTOM, "sdb", 10 * GIB, GIB,
                List.of(new ExtraVolume("sda", "xfs", "/srv", "srv")));
        List<Map<String, Object>> c = config(machine("amd64", BootMethod.BIOS, layout, disk("sda", 500),
                disk("sdb", 50)), "suse", "sles12");
        assertEquals(true, byId(c, "sdb").get("grub_device"));
        assertFalse(byId(c, "sda").containsKey("ptable"), "an extra volume is formatted whole");
        assertEquals("sda", byId(c, "sda_format").get("volume"));
        assertEquals(GIB + "B", byId(c, "sdb-part2").get("size"));
        assertEquals(10 * GIB + "B", byId(c, "sdb-part3").get("size"));
        assertEquals(List.of("-O", "^metadata_csum"), byId(c, "sdb-part3_format").get("extra_options"));
        assertEquals(List.of("/", "/boot", "/srv"), c.stream().filter(e -> "mount".equals(e.get("type")))
                .map(e -> e.get("path")).toList());
    }

    @Test
    void duplicateModelAndSerialFallBackToTheIdPath() throws Exception {
        Disk a = new Disk("sda", "CLONE", "0000", "/dev/disk/by-path/pci-0000:00:1f.2-ata-1", 50 * GIB);
        Disk b = new Disk("sdb", "CLONE", "0000", "/dev/disk/by-path/pci-0000:00:1f.2-ata-2", 50 * GIB);
        List<Map<String, Object>> c = config(machine("amd64", BootMethod.BIOS,
                new StorageLayout(LayoutType.CUSTOM, null, 0, 0, List.of(new ExtraVolume("sdb", "ext4", "/data",
                        null))), a, b), "ubuntu", "noble");
        assertEquals("/dev/disk/by-path/pci-0000:00:1f.2-ata-1", byId(c, "sda").get("path"));
        assertFalse(byId(c, "sda").containsKey("serial"));
    }

    @Test
    void impossibleLayoutsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> StorageV1.storage(machine("amd64", BootMethod.BIOS,
                new StorageLayout(LayoutType.FLAT, null, 200 * GIB, 0, List.of()), disk("sda", 100)), "ubuntu", "noble"));
        assertThrows(IllegalArgumentException.class, () -> StorageV1.storage(machine("amd64", BootMethod.BIOS, null,
                disk("sda", 2)), "ubuntu", "noble"));
        assertThrows(IllegalArgumentException.class, () -> StorageV1.storage(machine("amd64", BootMethod.BIOS,
                new StorageLayout(LayoutType.CUSTOM, null, 0, 0, List.of(new ExtraVolume("sda", "ext4", "/x", null))),
                disk("sda", 100)), "ubuntu", "noble"));
        assertThrows(IllegalArgumentException.class, () -> StorageV1.storage(machine("amd64", BootMethod.BIOS,
                new StorageLayout(LayoutType.CUSTOM, null, 0, 0, List.of(new ExtraVolume("sdb", "ext4", "/../etc",
                        null))), disk("sda", 100), disk("sdb", 100)), "ubuntu", "noble"));
        assertThrows(IllegalArgumentException.class, () -> StorageV1.storage(machine("amd64", BootMethod.BIOS,
                new StorageLayout(LayoutType.FLAT, "sdz", 0, 0, List.of()), disk("sda", 100)), "ubuntu", "noble"));
        assertThrows(IllegalArgumentException.class, () -> StorageV1.storage(machine("amd64", BootMethod.BIOS, null,
                new Disk("sda", null, null, null, 100 * GIB)), "ubuntu", "noble"));
        assertThrows(IllegalArgumentException.class, () -> new StorageLayout(LayoutType.FLAT, null, GIB, 0, List.of()));
        assertTrue(StorageLayout.flat().extra().isEmpty());
    }
}
