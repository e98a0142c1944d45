package io.metalforge.api.boot;

import java.util.Locale;
import java.util.Objects;

/**
 * A request path a {@link BootMethod} recognised as one of its configs.
 *
 * @param method  the name of the boot method that recognised it
 * @param kind    what was asked for
 * @param mac     for {@link Kind#MACHINE}: the MAC in the path, lower case with colons; otherwise ""
 * @param arch    the architecture named in the path ("amd64"), or "" when the path names none
 * @param subarch the subarchitecture named in the path, or ""
 */
public record BootRequest(String method, Kind kind, String mac, String arch, String subarch) {

    /** The three kinds of config MAAS's boot methods answer. */
    public enum Kind {
        /** A static first-stage config that chains to the per-machine one (ipxe.cfg, grub/grub.cfg). */
        PRELOADER,
        /** The config of one machine, by MAC: 404 when no machine has it, so the firmware moves on. */
        MACHINE,
        /** The config for any machine not known by MAC (pxelinux.cfg/default, ipxe.cfg-default-amd64, ...). */
        DEFAULT
    }

    public BootRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(kind, "kind");
        mac = mac == null ? "" : normaliseMac(mac);
        arch = arch == null ? "" : arch;
        subarch = subarch == null ? "" : subarch;
    }

    /** "52-54-00-AB-CD-EF" and "52:54:00:ab:cd:ef" both give "52:54:00:ab:cd:ef". */
    public static String normaliseMac(String mac) {
        return mac.replace('-', ':').toLowerCase(Locale.ROOT);
    }
}
