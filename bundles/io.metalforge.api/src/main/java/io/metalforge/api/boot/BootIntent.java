package io.metalforge.api.boot;

/**
 * What a netbooting machine is told to do, as MAAS's boot config "purpose": install an image while Deploying,
 * boot its local disk once the installer has turned netboot off or the machine is Deployed, power off when it has
 * nothing to do. Enlistment and commissioning are for later.
 */
public enum BootIntent {
    XINSTALL, LOCAL, POWEROFF, ENLIST, COMMISSIONING;

    /** MAAS's spelling of the purpose, as boot config templates name it ("xinstall", "local", ...). */
    public String purpose() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
