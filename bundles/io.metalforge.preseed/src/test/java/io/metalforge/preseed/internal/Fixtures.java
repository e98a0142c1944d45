package io.metalforge.preseed.internal;

import java.util.List;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.Disk;
import io.metalforge.api.deploy.Link;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.deploy.NetworkInterface;
import io.metalforge.api.deploy.StorageLayout;
import io.metalforge.api.deploy.Subnet;

/** Small machines and images for focused tests. */
final class Fixtures {

    static final Subnet LAN = new Subnet("10.0.0.0/24", "10.0.0.1", List.of("10.0.0.2"));
    static final Subnet LAN2 = new Subnet("10.0.1.0/24", "10.0.1.1", List.of());

    private Fixtures() {
    }

    static Machine machine(String arch, BootMethod boot, StorageLayout layout, List<NetworkInterface> nics,
            Disk... disks) {
        return new Machine("abc123", "web01", "maas", arch, "generic", boot, nics, List.of(), List.of(disks), layout,
                List.of("10.0.0.2"), List.of());
    }

    static Machine simple(String arch, BootMethod boot) {
        return machine(arch, boot, null, List.of(dhcpNic()), disk("sda", 100));
    }

    static NetworkInterface dhcpNic() {
        return NetworkInterface.physical("eth0", "52:54:00:12:34:56", 0, List.of(Link.dhcp4()));
    }

    static List<NetworkInterface> twoGateways() {
        return List.of(NetworkInterface.physical("eth0", "52:54:00:00:00:01", 0, List.of(Link.fixed(LAN, "10.0.0.5"))),
                NetworkInterface.physical("eth1", "52:54:00:00:00:02", 0, List.of(Link.fixed(LAN2, "10.0.1.5"))));
    }

    static Disk disk(String name, long gib) {
        return new Disk(name, "QEMU HARDDISK", "QM-" + name, "/dev/disk/by-id/ata-QEMU_" + name, gib << 30);
    }

    static DeployImage image(String os, String release, String filetype, String base) {
        return new DeployImage(os, release, "amd64", "generic", filetype, null, "abcdef0", null, base);
    }

    static DeploySettings settings() {
        return new DeploySettings("http://10.0.0.2:5240/MAAS/", "10.0.0.3", "ckey", "tkey", "tsecret", null, null,
                null, false, false, false, null);
    }
}
