package io.metalforge.api.boot;

import java.util.Objects;

/**
 * The state of one known machine as the boot servers need it.
 *
 * @param systemId the machine's MAAS system id (used in the metadata URL of the kernel command line)
 * @param hostname the machine's hostname
 * @param mac the boot interface's MAC address, lower case with colons ("52:54:00:12:34:56")
 * @param architecture MAAS architecture with subarchitecture ("amd64/generic")
 * @param intent what the machine should do now
 * @param ephemeralOs the OS of the ephemeral environment that installs the image ("ubuntu"); for a custom image,
 *        the OS of its base image
 * @param ephemeralRelease that OS's release ("noble")
 * @param kernelOptions extra kernel options (global and per machine), appended to the command line; may be empty
 */
public record BootTarget(String systemId, String hostname, String mac, String architecture, BootIntent intent,
        String ephemeralOs, String ephemeralRelease, String kernelOptions) {

    public BootTarget {
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(intent, "intent");
        hostname = hostname == null ? "" : hostname;
        ephemeralOs = ephemeralOs == null ? "" : ephemeralOs;
        ephemeralRelease = ephemeralRelease == null ? "" : ephemeralRelease;
        kernelOptions = kernelOptions == null ? "" : kernelOptions;
    }
}
