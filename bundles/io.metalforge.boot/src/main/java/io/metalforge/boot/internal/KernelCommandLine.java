package io.metalforge.boot.internal;

import java.util.ArrayList;
import java.util.List;

import io.metalforge.api.boot.BootTarget;

/**
 * The kernel command line MAAS gives an ephemeral environment (kernel_opts.py compose_kernel_command_line): the root
 * image over HTTP, BOOTIF networking, the MAAS datasource and the preseed URL, a read-only root with a tmpfs overlay,
 * remote syslog, then "---" and the global and per-machine kernel options. BOOTIF itself is added by each boot
 * method (iPXE and PXELINUX differ).
 */
final class KernelCommandLine {

    static final int LOG_PORT = 5247;

    private KernelCommandLine() {
    }

    /**
     * @param serverAddress host:port of the boot HTTP server as machines reach it
     * @param root          path of the root image under /images/, "" when there is none
     * @param tarRoot       whether that root image is a tarball (root=tar:) rather than a squashfs
     * @param target        the machine, or null when enlisting
     */
    static String compose(String serverAddress, String serverHost, String root, boolean tarRoot, BootTarget target) {
        List<String> opts = new ArrayList<>();
        opts.add("nomodeset");
        if (!root.isEmpty()) {
            opts.add("root=" + (tarRoot ? "tar" : "squash") + ":http://" + serverAddress + "/images/" + root);
        }
        String hostname = target == null ? "maas-enlist" : target.hostname();
        opts.add("ip=::::" + hostname + ":BOOTIF:dhcp");
        opts.add("ip6=off");
        opts.add("cc:{'datasource_list': ['MAAS']}end_cc");
        opts.add("cloud-config-url=" + preseedUrl(serverAddress, target));
        opts.add("ro");
        if (!root.isEmpty() && !tarRoot) {
            opts.add("overlayroot=tmpfs");
            opts.add("overlayroot_cfgdisk=disabled");
        }
        opts.add("log_host=" + serverHost);
        opts.add("log_port=" + LOG_PORT);
        if (target != null && !target.kernelOptions().isBlank()) {
            opts.add("---");
            opts.add(target.kernelOptions().trim());
        }
        return String.join(" ", opts);
    }

    /** compose_preseed_url / compose_enlistment_preseed_url: on the boot server, which forwards /MAAS/ to the API. */
    static String preseedUrl(String serverAddress, BootTarget target) {
        if (target == null) {
            return "http://" + serverAddress + "/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed";
        }
        return "http://" + serverAddress + "/MAAS/metadata/latest/by-id/" + target.systemId() + "/?op=get_preseed";
    }
}
