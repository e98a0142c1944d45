package io.metalforge.machines.internal;

import java.time.Instant;
import java.util.List;

import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.NodeStatus;

/** One row of the machine table with its MACs (boot interface first). Never printed with its token secret. */
record MachineRow(String systemId, String hostname, String domain, String architecture, NodeStatus status,
        String statusMessage, String osystem, String distroSeries, String hweKernel, String owner, boolean netboot,
        String kernelOpts, String hardware, String userData, String ephemeralOs, String ephemeralRelease,
        String imageFiletype, String serverUrl, String tokenConsumer, String tokenKey, String tokenSecret,
        Instant deployStarted, Instant created, Instant updated, List<String> macs) {

    MachineRow {
        macs = List.copyOf(macs);
    }

    MachineInfo info() {
        return new MachineInfo(systemId, hostname, domain, architecture, status, statusMessage, osystem,
                distroSeries, owner, netboot, macs, created, updated);
    }

    String fqdn() {
        return hostname + "." + domain;
    }

    /** "amd64" of "amd64/generic". */
    String arch() {
        int slash = architecture.indexOf('/');
        return slash < 0 ? architecture : architecture.substring(0, slash);
    }

    /** "generic" of "amd64/generic". */
    String subarch() {
        int slash = architecture.indexOf('/');
        return slash < 0 ? "generic" : architecture.substring(slash + 1);
    }

    MachineRow withMacs(List<String> newMacs) {
        return new MachineRow(systemId, hostname, domain, architecture, status, statusMessage, osystem, distroSeries,
                hweKernel, owner, netboot, kernelOpts, hardware, userData, ephemeralOs, ephemeralRelease,
                imageFiletype, serverUrl, tokenConsumer, tokenKey, tokenSecret, deployStarted, created, updated,
                newMacs);
    }

    @Override
    public String toString() {
        return "MachineRow[" + systemId + " " + hostname + " " + status.label() + "]";
    }
}
