package io.metalforge.preseed.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.ExtraVolume;
import io.metalforge.api.deploy.LayoutType;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.StorageLayout;

/**
 * Curtin storage config version 1 for the flat, lvm and custom layouts: disks, partitions (with the boot partitions
 * the firmware needs), volume group, formats, then every mount sorted by mount point.
 */
final class StorageV1 {

    static final long MIB = 1L << 20;
    /** Where partition 1 starts, and the alignment of every size. */
    static final long FIRST_OFFSET = 4 * MIB;
    /** Room left at the end of the disk for the backup GPT. */
    static final long END_RESERVE = MIB;
    static final long MBR_LIMIT = 2L << 40;
    static final int MAX_DISKS = 64;
    static final Set<String> FSTYPES = Set.of("ext4", "ext3", "ext2", "xfs", "btrfs", "fat32", "vfat");
    private static final Pattern DISK_NAME = Pattern.compile("[a-z][a-z0-9]{0,31}");
    private static final Pattern MOUNT = Pattern.compile("/[A-Za-z0-9._/-]{0,200}");

    private final Machine machine;
    private final String os;
    private final String release;
    private final boolean diskImage;
    private final List<Map<String, Object>> disks = new ArrayList<>();
    private final List<Map<String, Object>> partitions = new ArrayList<>();
    private final List<Map<String, Object>> volumes = new ArrayList<>();
    private final List<Map<String, Object>> formats = new ArrayList<>();
    private final List<Map<String, Object>> mounts = new ArrayList<>();

    private StorageV1(Machine machine, String os, String release, boolean diskImage) {
        this.machine = machine;
        this.os = os;
        this.release = release;
        this.diskImage = diskImage;
    }

    /** The {@code storage:} value. {@code os}/{@code release} are what is installed (sles12 and esxi differ). */
    static Map<String, Object> storage(Machine machine, String os, String release) {
        return storage(machine, os, release, false);
    }

    /**
     * As {@link #storage(Machine, String, String)}; with {@code diskImage} (a {@code dd-*} source, which curtin writes
     * whole onto the boot disk) the config only names that disk, as MAAS still sends it for dd images, so the root it
     * lays out needs one 4 MiB unit, not the 3 GiB an installed root file system needs.
     */
    static Map<String, Object> storage(Machine machine, String os, String release, boolean diskImage) {
        return new StorageV1(machine, os, release, diskImage).build();
    }

    private Map<String, Object> build() {
        List<Disk> all = machine.disks();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("machine " + machine.hostname() + " has no disks");
        }
        if (all.size() > MAX_DISKS) {
            throw new IllegalArgumentException("at most " + MAX_DISKS + " disks");
        }
        Set<String> names = new HashSet<>();
        for (Disk d : all) {
            if (!DISK_NAME.matcher(d.name()).matches() || !names.add(d.name())) {
                throw new IllegalArgumentException("disk name '" + d.name() + "' is invalid or repeated");
            }
        }
        StorageLayout layout = machine.storage();
        Disk boot = layout.bootDisk() == null ? all.get(0) : disk(layout.bootDisk(), "boot disk");
        bootDisk(boot, layout);
        Set<String> usedMounts = new HashSet<>(Set.of("/", "/boot", "/boot/efi"));
        for (ExtraVolume v : layout.extra()) {
            if (layout.type() != LayoutType.CUSTOM) {
                throw new IllegalArgumentException("extra volumes need the custom layout");
            }
            Disk d = disk(v.disk(), "extra volume");
            if (d == boot) {
                throw new IllegalArgumentException("disk " + d.name() + " is the boot disk; it cannot be an extra volume");
            }
            if (!FSTYPES.contains(v.fstype())) {
                throw new IllegalArgumentException("file system '" + v.fstype() + "' is not one of " + FSTYPES);
            }
            if (!MOUNT.matcher(v.mountPoint()).matches() || v.mountPoint().contains("..")
                    || !usedMounts.add(v.mountPoint())) {
                throw new IllegalArgumentException("mount point '" + v.mountPoint() + "' is invalid or taken");
            }
            if (disks.stream().anyMatch(e -> e.get("id").equals(d.name()))) {
                throw new IllegalArgumentException("disk " + d.name() + " is used twice");
            }
            Map<String, Object> entry = diskEntry(d, null);
            disks.add(entry);
            format(d.name(), v.fstype(), v.label(), v.mountPoint());
        }
        List<Object> config = new ArrayList<>();
        config.addAll(disks);
        config.addAll(partitions);
        config.addAll(volumes);
        config.addAll(formats);
        mounts.sort(Comparator.comparing(m -> (String) m.get("path")));
        config.addAll(mounts);
        return Maps.of("version", 1, "config", config);
    }

    private Disk disk(String name, String what) {
        return machine.disks().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException(what + " '" + name + "' is not a disk of the machine"));
    }

    private void bootDisk(Disk boot, StorageLayout layout) {
        String arch = machine.architecture();
        boolean uefi = machine.bootMethod() == BootMethod.UEFI;
        boolean ppc = arch.startsWith("ppc64");
        boolean gpt = uefi || ppc || arch.startsWith("amd64") || boot.sizeBytes() >= MBR_LIMIT;
        Map<String, Object> d = diskEntry(boot, gpt ? "gpt" : "msdos");
        if (!(gpt && ppc)) {
            d.put("grub_device", true);
        }
        disks.add(d);

        if (gpt && ppc) {
            Map<String, Object> p = partition(boot, 8 * MIB, "prep");
            p.put("wipe", "zero");
            p.put("grub_device", true);
        } else if (gpt && !uefi && arch.startsWith("amd64") && !"esxi".equals(os)) {
            partition(boot, MIB, "bios_grub");
        }
        if (gpt && uefi && !ppc) {
            Map<String, Object> efi = partition(boot, 512 * MIB, "boot");
            format((String) efi.get("id"), "fat32", "efi", "/boot/efi");
        }
        long bootSize = layout.bootSize();
        if (bootSize == 0 && arch.startsWith("arm64") && !uefi) {
            bootSize = StorageLayout.MIN_BOOT;
        }
        if (bootSize > 0) {
            Map<String, Object> p = partition(boot, alignDown(bootSize), null);
            format((String) p.get("id"), "ext4", "boot", "/boot");
        }
        long used = partitions.stream().mapToLong(p -> (Long) p.get("bytes")).sum();
        long rest = alignDown(boot.sizeBytes() - FIRST_OFFSET - used - END_RESERVE);
        long root = layout.rootSize() == 0 ? rest : alignDown(layout.rootSize());
        long minimum = diskImage ? FIRST_OFFSET : StorageLayout.MIN_ROOT;
        if (rest < minimum || root > rest) {
            throw new IllegalArgumentException("disk " + boot.name() + " (" + boot.sizeBytes() / MIB + " MiB) has "
                    + rest / MIB + " MiB left for root, " + (root > rest ? "less than the " + root / MIB
                            + " MiB asked" : "less than the " + (diskImage ? "4 MiB" : "3 GiB") + " minimum"));
        }
        if (layout.type() == LayoutType.LVM) {
            Map<String, Object> pv = partition(boot, rest, null);
            volumes.add(Maps.of("id", "vgroot", "type", "lvm_volgroup", "name", "vgroot", "devices",
                    List.of(pv.get("id"))));
            Map<String, Object> lv = Maps.of("id", "vgroot-lvroot", "type", "lvm_partition", "name", "lvroot",
                    "volgroup", "vgroot");
            if (layout.rootSize() != 0 && root < rest) {
                lv.put("size", root + "B");
            }
            volumes.add(lv);
            format("vgroot-lvroot", "ext4", "root", "/");
        } else {
            Map<String, Object> p = partition(boot, root, null);
            format((String) p.get("id"), "ext4", "root", "/");
        }
        partitions.forEach(p -> p.remove("bytes"));
    }

    private Map<String, Object> diskEntry(Disk d, String ptable) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", d.name());
        e.put("name", d.name());
        e.put("type", "disk");
        e.put("wipe", "superblock");
        boolean identified = d.model() != null && !d.model().isBlank() && d.serial() != null && !d.serial().isBlank()
                && machine.disks().stream().filter(o -> o != d)
                        .noneMatch(o -> d.model().equals(o.model()) && d.serial().equals(o.serial()));
        if (identified) {
            e.put("model", d.model());
            e.put("serial", d.serial());
        } else if (d.idPath() != null && d.idPath().startsWith("/dev/")) {
            e.put("path", d.idPath());
        } else {
            throw new IllegalArgumentException("disk " + d.name()
                    + " has neither a unique model and serial nor an id path under /dev/");
        }
        if (ptable != null) {
            e.put("ptable", ptable);
        }
        return e;
    }

    private Map<String, Object> partition(Disk disk, long bytes, String flag) {
        int number = (int) partitions.stream().filter(p -> p.get("device").equals(disk.name())).count() + 1;
        String id = disk.name() + "-part" + number;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("name", id);
        p.put("type", "partition");
        p.put("number", number);
        p.put("uuid", uuid(id));
        p.put("size", bytes + "B");
        p.put("device", disk.name());
        p.put("wipe", "superblock");
        if (number == 1) {
            p.put("offset", FIRST_OFFSET + "B");
        }
        if (flag != null) {
            p.put("flag", flag);
        }
        p.put("bytes", bytes);
        partitions.add(p);
        return p;
    }

    private void format(String volume, String fstype, String label, String path) {
        Map<String, Object> f = Maps.of("id", volume + "_format", "type", "format", "fstype", fstype, "label", label,
                "uuid", uuid(volume + "_format"), "volume", volume);
        if ("ext4".equals(fstype) && release.startsWith("sles12")) {
            f.put("extra_options", List.of("-O", "^metadata_csum"));
        }
        formats.add(f);
        mounts.add(Maps.of("id", volume + "_mount", "type", "mount", "device", volume + "_format", "path", path));
    }

    /** Stable per machine and volume, so that a preview shows what the deployment will get. */
    private String uuid(String what) {
        return UUID.nameUUIDFromBytes((machine.systemId() + "/" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static long alignDown(long bytes) {
        return bytes - Math.floorMod(bytes, FIRST_OFFSET);
    }
}
