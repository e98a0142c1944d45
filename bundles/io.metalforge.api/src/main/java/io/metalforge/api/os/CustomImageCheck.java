package io.metalforge.api.os;

/**
 * What a custom image built on an OS must carry for Metalforge to configure the deployed machine. The composer adds
 * a curtin late command per {@link #verifiedInTarget() verified} check that aborts the deployment when it fails; the
 * image doctor looks for every check at upload time.
 *
 * @since 1.1
 */
public enum CustomImageCheck {
    /** cloud-init, which reads the MAAS datasource on first boot. */
    CLOUD_INIT("cloud-init", "cloud-init --version"),
    /** netplan, which applies the network configuration (version 2) curtin writes. */
    NETPLAN("netplan", "netplan info"),
    /** {@code /curtin/curtin-hooks}, which installs the bootloader and network configuration where curtin cannot. */
    CURTIN_HOOKS("curtin-hooks", "");

    private final String tool;
    private final String command;

    CustomImageCheck(String tool, String command) {
        this.tool = tool;
        this.command = command;
    }

    /** The tool's name, as messages give it. */
    public String tool() {
        return tool;
    }

    /** The shell command that proves the tool is there, run in the written target; "" when not verified there. */
    public String command() {
        return command;
    }

    /** Whether the deployment checks this in the written target (and aborts when it fails). */
    public boolean verifiedInTarget() {
        return !command.isEmpty();
    }
}
