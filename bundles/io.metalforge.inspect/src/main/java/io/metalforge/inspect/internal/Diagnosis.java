package io.metalforge.inspect.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.metalforge.api.inspect.DiskLayout;
import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.RootFilesystem;
import io.metalforge.api.inspect.Severity;
import io.metalforge.api.os.CustomImageCheck;
import io.metalforge.api.os.OsHandler;

/**
 * Turns what the doctor saw into findings. The rules follow how MAAS deploys: a custom image is validated after
 * curtin wrote it by running the tools its base needs (cloud-init, and netplan for an ubuntu base) in the target;
 * custom images bring their own kernel; bases curtin cannot configure rely on the image's /curtin/curtin-hooks to
 * install a bootloader. What a base needs, and what its images say in os-release, is the base's OS handler's answer.
 */
final class Diagnosis {

    private static final Set<String> LINUX_FILESYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "lvm2");

    private Diagnosis() {
    }

    /**
     * @param baseHandler the handler of the expected base OS; empty for images that are not custom or whose base
     *                    OS is not installed (then no base-specific check applies)
     */
    static void rootFilesystem(RootFilesystem root, ImageExpectation expected, Optional<OsHandler> baseHandler,
            List<Finding> findings) {
        String base = expected.baseOs();
        boolean custom = !base.isEmpty();
        Set<CustomImageCheck> checks = baseHandler.map(OsHandler::customImageChecks).orElse(Set.of());
        Set<String> osIds = baseHandler.map(OsHandler::osReleaseIds).orElse(Set.of());

        if (root.osId().isEmpty()) {
            findings.add(new Finding(Severity.WARNING, "no /etc/os-release: the operating system cannot be identified"));
        } else {
            findings.add(new Finding(Severity.INFO, "os-release: " + root.osId() + " " + root.osVersionId()));
            if (custom && !osIds.isEmpty() && !osIds.contains(root.osId())) {
                findings.add(new Finding(Severity.WARNING, "base image " + expected.baseImage()
                        + " but os-release says " + root.osId() + " " + root.osVersionId()
                        + ": the installer environment and the deployment settings follow the base image"));
            } else if (custom && !osIds.isEmpty()) {
                String series = expected.baseImage().substring(expected.baseImage().indexOf('/') + 1);
                String version = baseHandler.get().releaseVersion(series).orElse(null);
                if (version != null && !root.osVersionId().isEmpty() && !version.equals(root.osVersionId())) {
                    findings.add(new Finding(Severity.WARNING, "base image " + expected.baseImage() + " (" + version
                            + ") but os-release says " + root.osId() + " " + root.osVersionId()));
                }
            }
        }

        if (root.kernels().isEmpty()) {
            findings.add(new Finding(Severity.UNDEPLOYABLE,
                    "no kernel in /boot or /lib/modules: the deployed machine would not boot (looked for "
                            + RootTarballInspector.KERNEL_PLACES + ")"));
        } else {
            findings.add(new Finding(Severity.INFO, "kernel: " + String.join(", ", root.kernels())));
        }

        if (custom && checks.contains(CustomImageCheck.CLOUD_INIT) && !root.cloudInit()) {
            findings.add(new Finding(Severity.UNDEPLOYABLE, "custom image with " + article(base) + " " + base
                    + " base lacks cloud-init: deployment would abort (looked for "
                    + RootTarballInspector.CLOUD_INIT_PLACES + ")"));
        } else if (!root.cloudInit()) {
            findings.add(new Finding(Severity.WARNING, "no cloud-init: the deployed machine will not be configured "
                    + "(looked for " + RootTarballInspector.CLOUD_INIT_PLACES + ")"));
        } else {
            findings.add(new Finding(Severity.INFO, "cloud-init present"));
        }
        if (custom && checks.contains(CustomImageCheck.NETPLAN) && !root.netplan()) {
            findings.add(new Finding(Severity.UNDEPLOYABLE, "custom image with " + article(base) + " " + base
                    + " base lacks netplan: deployment would abort (looked for "
                    + RootTarballInspector.NETPLAN_PLACES + ")"));
        } else if (root.netplan()) {
            findings.add(new Finding(Severity.INFO, "netplan present"));
        }

        if (!root.curtinHooks().isEmpty()) {
            findings.add(new Finding(Severity.INFO, "curtin hooks: " + String.join(", ", root.curtinHooks())));
        } else if (custom && checks.contains(CustomImageCheck.CURTIN_HOOKS)) {
            findings.add(new Finding(Severity.WARNING, "no /curtin/curtin-hooks: curtin installs no bootloader and "
                    + "applies no network configuration for " + article(base) + " " + base + " image without them"));
        }

        architecture(root.architectures(), expected, findings);
        if (!custom) {
            findings.add(new Finding(Severity.INFO, "no base image given: not checked whether the base OS's "
                    + "installer needs cloud-init or netplan, whether os-release matches the base release, or whether "
                    + "curtin hooks are needed"));
        }
    }

    private static void architecture(Map<String, Integer> arches, ImageExpectation expected, List<Finding> findings) {
        if (arches.isEmpty()) {
            findings.add(new Finding(Severity.WARNING, "no ELF binaries found: the architecture was not checked"));
            return;
        }
        String main = arches.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        findings.add(new Finding(Severity.INFO, "binaries: " + arches));
        String declared = expected.arch();
        if (!declared.isEmpty() && !arches.containsKey(declared)) {
            findings.add(new Finding(Severity.UNDEPLOYABLE, "declared " + declared + " but binaries are " + main));
        } else if (!declared.isEmpty() && !main.equals(declared)) {
            findings.add(new Finding(Severity.WARNING,
                    "declared " + declared + " but most binaries are " + main + " (" + arches + ")"));
        }
    }

    static void disk(DiskLayout disk, ImageExpectation expected, Optional<OsHandler> baseHandler,
            List<Finding> findings) {
        switch (disk.partitionTable()) {
            case "unknown" -> {
                findings.add(new Finding(Severity.UNDEPLOYABLE,
                        "no partition table and no filesystem found: not a disk image"));
                return;
            }
            case "none" -> findings.add(new Finding(Severity.WARNING, "a bare " + disk.partitions().get(0).filesystem()
                    + " filesystem without a partition table: written to a whole disk it has no bootloader"));
            default -> {
                findings.add(new Finding(Severity.INFO, disk.partitionTable().toUpperCase() + " with "
                        + disk.partitions().size() + " partitions"));
                if (disk.partitions().isEmpty()) {
                    findings.add(new Finding(Severity.UNDEPLOYABLE, "the partition table lists no partition"));
                    return;
                }
            }
        }
        for (DiskLayout.Partition p : disk.partitions()) {
            findings.add(new Finding(Severity.INFO, "partition " + p.number() + ": " + p.type() + ", " + p.filesystem()));
        }
        if (!disk.partitionTable().equals("none")) {
            if (!disk.efiSystemPartition()) {
                findings.add(new Finding(Severity.WARNING, "no EFI system partition: UEFI machines cannot boot it"));
            } else if (disk.partitions().stream()
                    .anyMatch(p -> p.type().contains("EFI System") && !p.filesystem().equals("vfat")
                            && !p.filesystem().equals("not read"))) {
                findings.add(new Finding(Severity.WARNING, "the EFI system partition holds no FAT filesystem"));
            }
        }
        boolean linuxBase = baseHandler.map(OsHandler::isLinux).orElse(false);
        if (linuxBase && disk.partitions().stream().noneMatch(p -> LINUX_FILESYSTEMS.contains(p.filesystem())
                || p.filesystem().equals("not read"))) {
            findings.add(new Finding(Severity.WARNING, "no Linux root filesystem (ext4, xfs, btrfs, LVM) found for a "
                    + expected.baseOs() + " base image"));
        }
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }
}
