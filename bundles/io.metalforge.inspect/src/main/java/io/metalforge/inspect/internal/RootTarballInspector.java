package io.metalforge.inspect.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.metalforge.api.inspect.RootFilesystem;

/** Walks the entries of a root filesystem tarball and collects what a deployment depends on. */
final class RootTarballInspector {

    private static final Pattern KERNEL = Pattern
            .compile("(boot/(vmlinu[xz]|Image|zImage|kernel)([-.].*)?)|((usr/)?lib/modules/[^/]+/vmlinu[xz])");
    private static final Pattern CLOUD_INIT = Pattern.compile("(usr/(local/)?)?bin/cloud-init");
    private static final Pattern NETPLAN = Pattern
            .compile("((usr/)?s?bin/netplan)|(usr/share/netplan/netplan\\.script)|((usr/)?lib/netplan/generate)");
    /** What the patterns above match, as the findings tell the operator what was looked for. */
    static final String KERNEL_PLACES = "/boot/vmlinuz*, /boot/vmlinux*, /boot/Image*, /boot/zImage*, "
            + "/boot/kernel*, /lib/modules/*/vmlinu[xz], /usr/lib/modules/*/vmlinu[xz]";
    static final String CLOUD_INIT_PLACES = "/usr/bin/cloud-init, /bin/cloud-init, /usr/local/bin/cloud-init";
    static final String NETPLAN_PLACES = "/usr/sbin/netplan, /usr/bin/netplan, /sbin/netplan, /bin/netplan, "
            + "/usr/share/netplan/netplan.script, /usr/lib/netplan/generate";
    private static final Pattern CURTIN_HOOKS = Pattern.compile("curtin/curtin-hooks[^/]*");
    private static final Pattern BINARIES = Pattern.compile("((usr/)?(s?bin|lib64|lib|libexec)/).*");
    private static final int MAX_LISTED = 16;
    private static final int MAX_ELF_SAMPLES = 2000;

    private RootTarballInspector() {
    }

    /** Walks every member; {@code hostile} is shown each one. */
    static RootFilesystem inspect(TarScanner tar, HostileMembers hostile) throws IOException {
        String etcOsRelease = null;
        String usrOsRelease = null;
        List<String> kernels = new ArrayList<>();
        boolean cloudInit = false;
        boolean netplan = false;
        List<String> hooks = new ArrayList<>();
        Map<String, Integer> arches = new TreeMap<>();
        int elfSampled = 0;

        TarScanner.Entry entry;
        while ((entry = tar.next()) != null) {
            hostile.check(entry);
            String path = entry.path();
            boolean fileOrLink = entry.isFile() || entry.type() == '1' || entry.type() == '2';
            boolean consumed = false;
            if (entry.isFile() && path.equals("etc/os-release")) {
                etcOsRelease = new String(tar.readContent(64 * 1024), StandardCharsets.UTF_8);
                consumed = true;
            } else if (entry.isFile() && path.equals("usr/lib/os-release")) {
                usrOsRelease = new String(tar.readContent(64 * 1024), StandardCharsets.UTF_8);
                consumed = true;
            } else if (entry.isFile() && KERNEL.matcher(path).matches()) {
                if (kernels.size() < MAX_LISTED) {
                    kernels.add("/" + path);
                }
            } else if (fileOrLink && CLOUD_INIT.matcher(path).matches()) {
                cloudInit = true;
            } else if (fileOrLink && NETPLAN.matcher(path).matches()) {
                netplan = true;
            } else if (fileOrLink && CURTIN_HOOKS.matcher(path).matches()) {
                if (hooks.size() < MAX_LISTED) {
                    hooks.add("/" + path);
                }
            }
            if (entry.isFile() && entry.size() >= 20 && elfSampled < MAX_ELF_SAMPLES
                    && !consumed && BINARIES.matcher(path).matches()) {
                String arch = Elf.architecture(tar.readContent(20));
                if (arch != null) {
                    elfSampled++;
                    arches.merge(arch, 1, Integer::sum);
                }
            }
        }
        Map<String, String> osRelease = parseOsRelease(etcOsRelease != null ? etcOsRelease : usrOsRelease);
        return new RootFilesystem(osRelease.getOrDefault("ID", ""), osRelease.getOrDefault("VERSION_ID", ""), kernels,
                cloudInit, netplan, hooks, arches, tar.entries());
    }

    /** KEY=value lines, values optionally quoted. */
    static Map<String, String> parseOsRelease(String text) {
        Map<String, String> values = new TreeMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(line.substring(0, eq).trim(), value);
        }
        return values;
    }
}
