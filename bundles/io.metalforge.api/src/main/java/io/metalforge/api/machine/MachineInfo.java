package io.metalforge.api.machine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A machine as the platform knows it now.
 *
 * @param systemId      MAAS-style system id, e.g. "4y3h7n"; never reused
 * @param hostname      host name
 * @param domain        DNS domain, e.g. "maas"
 * @param architecture  "arch/subarch", e.g. "amd64/generic"
 * @param status        lifecycle state
 * @param statusMessage why it is in that state (the last failure, the last installer event), or ""
 * @param osystem       OS being or last deployed ("ubuntu", "custom"), or ""
 * @param distroSeries  its release ("noble", a custom image's name), or ""
 * @param owner         user who allocated it, or ""
 * @param netboot       whether the next network boot installs (true) or boots the local disk (false)
 * @param macs          MAC addresses, lower case with colons; the boot interface's first
 * @param created       when it was created
 * @param updated       when it last changed
 */
public record MachineInfo(String systemId, String hostname, String domain, String architecture, NodeStatus status,
        String statusMessage, String osystem, String distroSeries, String owner, boolean netboot, List<String> macs,
        Instant created, Instant updated) {

    public MachineInfo {
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(status, "status");
        hostname = hostname == null ? "" : hostname;
        domain = domain == null || domain.isBlank() ? "maas" : domain;
        architecture = architecture == null ? "" : architecture;
        statusMessage = statusMessage == null ? "" : statusMessage;
        osystem = osystem == null ? "" : osystem;
        distroSeries = distroSeries == null ? "" : distroSeries;
        owner = owner == null ? "" : owner;
        macs = macs == null ? List.of() : List.copyOf(macs);
    }

    /** "hostname.domain". */
    public String fqdn() {
        return hostname + "." + domain;
    }

    /** The boot interface's MAC, or "". */
    public String bootMac() {
        return macs.isEmpty() ? "" : macs.get(0);
    }
}
