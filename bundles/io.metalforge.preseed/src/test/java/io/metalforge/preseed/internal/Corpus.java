package io.metalforge.preseed.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.ExtraVolume;
import io.metalforge.api.deploy.InterfaceType;
import io.metalforge.api.deploy.LayoutType;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.deploy.StaticRoute;
import io.metalforge.api.deploy.StorageLayout;
import io.metalforge.api.deploy.Subnet;

/**
 * Generated machines and images covering the deployment shapes: every network shape (DHCP, static v4/v6, each bond
 * mode, VLANs on bonds, bridges, two gateways, jumbo frames, link-up only), every storage layout on one to four
 * disks, BIOS and UEFI, amd64/arm64/ppc64el, every OS family. The dimensions have co-prime lengths, so cycling
 * through them pairs each value with many others.
 */
final class Corpus {

    static final long GIB = 1L << 30;

    record Case(String name, Machine machine, DeployImage image, DeploySettings settings) {
    }

    private static final Subnet LAN = new Subnet("10.10.0.0/24", "10.10.0.1", List.of("10.10.0.2"));
    private static final Subnet LAN2 = new Subnet("10.20.0.0/24", "10.20.0.1", List.of());
    private static final Subnet STORAGE_NET = new Subnet("172.16.5.0/24", null, List.of());
    private static final Subnet V6 = new Subnet("2001:db8:10::/64", "2001:db8:10::1", List.of("2001:db8:10::53"));
    private static final Subnet V6B = new Subnet("2001:db8:20::/64", "2001:db8:20::1", List.of());

    /** os, release, filetype, base image */
    private static final String[][] IMAGES = {
        { "ubuntu", "noble", "squashfs", "" },
        { "ubuntu", "jammy", "root-tgz", "" },
        { "ubuntu", "focal", "squashfs", "" },
        { "ubuntu", "bionic", "squashfs", "" },
        { "ubuntu", "xenial", "squashfs", "" },
        { "custom", "cis-jammy", "root-dd.xz", "ubuntu/jammy" },
        { "custom", "rhel9-gold", "root-tgz", "rhel/9" },
        { "custom", "centos-stream", "root-tgz", "centos/8" },
        { "centos", "centos70", "root-tgz", "" },
        { "rhel", "rhel8.8", "root-tgz", "" },
        { "ol", "ol9", "root-tgz", "" },
        { "suse", "sles15.4", "root-tgz", "" },
        { "windows", "win2022", "root-dd", "" },
        { "esxi", "7.0", "root-dd.gz", "" },
        { "custom", "debian12", "root-tgz", "" },
        { "suse", "sles12", "root-tbz", "" },
        { "custom", "noble-hardened", "squashfs", "ubuntu/noble" },
        { "ubuntu", "resolute", "squashfs", "" },
    };
    static final int NETWORK_SHAPES = 17;
    static final int STORAGE_SHAPES = 7;

    private Corpus() {
    }

    static List<Case> cases(int count) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(of(i));
        }
        return out;
    }

    static Case of(int i) {
        String[] img = IMAGES[i % IMAGES.length];
        boolean dosOnly = img[0].equals("windows") || img[0].equals("esxi");
        String arch = dosOnly ? "amd64" : i % 11 == 4 ? "arm64" : i % 13 == 6 ? "ppc64el" : "amd64";
        BootMethod boot = i % 5 < 2 ? BootMethod.UEFI : BootMethod.BIOS;
        String host = "node" + i;
        String sid = String.format("m%05x", 0x4a000 + i * 7919 % 0xffff);
        Machine m = new Machine(sid, host, "maas", arch, i % 5 == 2 ? "hwe-22.04" : "generic", boot,
                network(i % NETWORK_SHAPES, i), routes(i % NETWORK_SHAPES), disks(i % STORAGE_SHAPES, i),
                storage(i % STORAGE_SHAPES), List.of("10.10.0.2"), i % 3 == 0 ? List.of("example.com") : List.of());
        DeployImage image = new DeployImage(img[0], img[1], arch, "generic", img[2], img[2].replace('-', '.'),
                String.format("%07x", i * 104729), img[0].equals("custom") ? "uploaded" : "stable", img[3]);
        DeploySettings settings = new DeploySettings("http://10.10.0.2:5240/MAAS/", "10.10.0.3", "ck" + i,
                "tk" + i, "ts" + i, i % 4 == 1 ? "http://proxy.example.com:3128/" : null, null, null, false,
                i % 6 == 0, i % 7 == 0, img[0].equals("windows") ? "ABCDE-12345-FGHIJ-67890-KLMNO" : null);
        return new Case(i + "-" + img[0] + "-" + img[1] + "-net" + i % NETWORK_SHAPES + "-disk" + i % STORAGE_SHAPES
                + "-" + arch + "-" + boot, m, image, settings);
    }

    private static String mac(int machine, int n) {
        return String.format("52:54:%02x:%02x:00:%02x", machine / 256, machine % 256, n);
    }

    private static NetworkInterface nic(int m, int n, int mtu, Link... links) {
        return NetworkInterface.physical("eth" + n, mac(m, n), mtu, List.of(links));
    }

    private static NetworkInterface bond(int m, String mode, Map<String, String> extra, Link... links) {
        Map<String, String> params = new java.util.HashMap<>(extra);
        params.put("bond_mode", mode);
        params.put("bond_miimon", "100");
        return new NetworkInterface("bond0", InterfaceType.BOND, mac(m, 0), 0, List.of("eth1", "eth0"), 0, params,
                List.of(links), true);
    }

    private static List<NetworkInterface> bonded(int m, String mode, Map<String, String> extra, Link... links) {
        return List.of(nic(m, 0, 0), nic(m, 1, 0), bond(m, mode, extra, links));
    }

    private static NetworkInterface vlan(String parent, int id, int mtu, Link... links) {
        return new NetworkInterface(parent + "." + id, InterfaceType.VLAN, null, mtu, List.of(parent), id, Map.of(),
                List.of(links), true);
    }

    private static NetworkInterface bridge(int m, String name, String port, Map<String, String> params,
            Link... links) {
        return new NetworkInterface(name, InterfaceType.BRIDGE, mac(m, 9), 0, List.of(port), 0, params,
                List.of(links), true);
    }

    static List<NetworkInterface> network(int shape, int m) {
        Link v4 = Link.fixed(LAN, "10.10.0." + (10 + m % 240));
        return switch (shape) {
            case 0 -> List.of(nic(m, 0, 0, Link.dhcp4()));
            case 1 -> List.of(nic(m, 0, 1500, v4));
            case 2 -> List.of(nic(m, 0, 0, Link.fixed(V6, "2001:db8:10::" + Integer.toHexString(16 + m))));
            case 3 -> List.of(nic(m, 0, 0, v4, Link.dhcp6()));
            case 4 -> bonded(m, "balance-rr", Map.of(), Link.dhcp4());
            case 5 -> bonded(m, "active-backup", Map.of("bond_num_grat_arp", "3", "bond_lacp_rate", "fast"), v4);
            case 6 -> bonded(m, "balance-xor", Map.of("bond_xmit_hash_policy", "layer3+4"), v4);
            case 7 -> bonded(m, "broadcast", Map.of("bond_downdelay", "200", "bond_updelay", "200"), Link.dhcp4());
            case 8 -> {
                List<NetworkInterface> l = new ArrayList<>(bonded(m, "802.3ad",
                        Map.of("bond_lacp_rate", "fast", "bond_xmit_hash_policy", "layer2+3"), Link.linkUp()));
                l.add(vlan("bond0", 100, 0, v4));
                l.add(vlan("bond0", 200, 0, Link.fixed(STORAGE_NET, "172.16.5." + (10 + m % 240))));
                yield l;
            }
            case 9 -> bonded(m, "balance-tlb", Map.of(), v4);
            case 10 -> {
                List<NetworkInterface> l = new ArrayList<>(bonded(m, "balance-alb", Map.of()));
                l.add(bridge(m, "br0", "bond0", Map.of("bridge_stp", "false", "bridge_fd", "15"), v4));
                yield l;
            }
            case 11 -> List.of(nic(m, 0, 0), bridge(m, "br0", "eth0", Map.of("bridge_stp", "true"), v4));
            case 12 -> List.of(nic(m, 0, 0, v4), nic(m, 1, 0, Link.fixed(LAN2, "10.20.0." + (10 + m % 240))));
            case 13 -> List.of(nic(m, 0, 9000, v4), nic(m, 1, 9000, Link.linkUp()),
                    vlan("eth1", 300, 9000, Link.fixed(STORAGE_NET, "172.16.5." + (10 + m % 240))));
            case 14 -> List.of(nic(m, 0, 0, Link.fixed(V6, "2001:db8:10::" + Integer.toHexString(16 + m))),
                    nic(m, 1, 0, Link.fixed(V6B, "2001:db8:20::" + Integer.toHexString(16 + m))));
            case 15 -> List.of(nic(m, 0, 0, Link.dhcp4()), nic(m, 1, 0, Link.linkUp()),
                    new NetworkInterface("eth2", InterfaceType.PHYSICAL, mac(m, 2), 0, List.of(), 0, Map.of(),
                            List.of(Link.dhcp4()), false));
            case 16 -> List.of(nic(m, 0, 0, Link.linkUp()), vlan("eth0", 42, 0),
                    bridge(m, "br42", "eth0.42", Map.of(), v4));
            default -> throw new IllegalArgumentException("shape " + shape);
        };
    }

    static List<StaticRoute> routes(int shape) {
        return shape == 12 ? List.of(new StaticRoute("10.20.0.0/24", "192.168.50.0/24", "10.20.0.254", 100))
                : List.of();
    }

    private static Disk disk(String name, long gib, String model, String serial, int m) {
        return new Disk(name, model, serial, "/dev/disk/by-id/wwn-0x5000c500" + String.format("%04x%04x", m, name.hashCode() & 0xffff),
                gib * GIB);
    }

    static List<Disk> disks(int shape, int m) {
        return switch (shape) {
            case 0 -> List.of(disk("sda", 32, "QEMU HARDDISK", "QM000" + m, m));
            case 1 -> List.of(disk("sda", 64, "SAMSUNG MZ7LH480", "S45N" + m, m),
                    disk("sdb", 64, "SAMSUNG MZ7LH480", "S45M" + m, m));
            case 2 -> List.of(disk("sda", 120, "INTEL SSDSC2KB", "BTYF" + m, m),
                    disk("sdb", 500, "ST500NM0011", "Z1M" + m, m), disk("sdc", 2000, "ST2000NM", "Z4M" + m, m));
            // same model and serial on two disks (cloned firmware): identified by path
            case 3 -> List.of(disk("sda", 16, "VIRTUAL-DISK", "0000", m), disk("sdb", 240, "VIRTUAL-DISK", "0000", m),
                    disk("sdc", 240, null, null, m), disk("sdd", 3000, "HUH721010", "7JG" + m, m));
            case 4 -> List.of(disk("nvme0n1", 960, "Micron_7450", "MTFD" + m, m));
            case 5 -> List.of(disk("vda", 8, null, null, m), disk("vdb", 100, null, null, m));
            case 6 -> List.of(disk("sda", 40, "PERC H730", "00a1" + m, m), disk("sdb", 40, "PERC H730", "00b2" + m, m),
                    disk("sdc", 40, "PERC H730", "00c3" + m, m), disk("sdd", 40, "PERC H730", "00d4" + m, m));
            default -> throw new IllegalArgumentException("shape " + shape);
        };
    }

    static StorageLayout storage(int shape) {
        return switch (shape) {
            case 0 -> StorageLayout.flat();
            case 1 -> new StorageLayout(LayoutType.LVM, null, 0, 0, List.of(), 4 * GIB);
            case 2 -> new StorageLayout(LayoutType.CUSTOM, null, 20 * GIB, GIB, List.of(
                    new ExtraVolume("sdb", "xfs", "/srv", "srv"), new ExtraVolume("sdc", "ext4", "/var/lib/data",
                            "data")));
            case 3 -> new StorageLayout(LayoutType.FLAT, "sdb", 0, 0, List.of(), 0L);
            case 4 -> new StorageLayout(LayoutType.LVM, null, 10 * GIB, 0, List.of());
            case 5 -> new StorageLayout(LayoutType.CUSTOM, null, 0, StorageLayout.MIN_BOOT, List.of(
                    new ExtraVolume("vdb", "btrfs", "/home", null)));
            case 6 -> new StorageLayout(LayoutType.CUSTOM, "sdb", 8 * GIB, 0, List.of(
                    new ExtraVolume("sda", "ext4", "/var", "var"), new ExtraVolume("sdd", "xfs", "/srv/data", null)));
            default -> throw new IllegalArgumentException("shape " + shape);
        };
    }
}
