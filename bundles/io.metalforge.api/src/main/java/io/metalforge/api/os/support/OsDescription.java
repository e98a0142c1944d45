package io.metalforge.api.os.support;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.CustomImageCheck;
import io.metalforge.api.os.PackageProxy;

/**
 * The fixed facts of an OS family that {@link BasicOsHandler} answers from. Start with {@link #of} and add facts:
 *
 * <pre>
 * OsDescription.of("rocky", "Rocky Linux", "rocky9")
 *         .filetypes(ImageFiletypes.TARBALL)
 *         .linux(PackageProxy.YUM, "rocky")
 *         .architectures("amd64/generic", "arm64/generic");
 * </pre>
 *
 * Instances are immutable; every method returns a new description.
 */
public final class OsDescription {

    final String name;
    final String title;
    final String defaultRelease;
    final Set<BootPurpose> purposes;
    final Map<String, String> filetypes;
    final boolean linux;
    final boolean customImageBase;
    final Set<CustomImageCheck> customImageChecks;
    final PackageProxy packageProxy;
    final boolean appliesNetworkConfig;
    final Set<String> architectures;
    final Set<String> osReleaseIds;

    private OsDescription(String name, String title, String defaultRelease, Set<BootPurpose> purposes,
            Map<String, String> filetypes, boolean linux, boolean customImageBase,
            Set<CustomImageCheck> customImageChecks, PackageProxy packageProxy, boolean appliesNetworkConfig,
            Set<String> architectures, Set<String> osReleaseIds) {
        this.name = Objects.requireNonNull(name);
        this.title = Objects.requireNonNull(title);
        this.defaultRelease = Objects.requireNonNull(defaultRelease);
        this.purposes = Set.copyOf(purposes);
        this.filetypes = Map.copyOf(filetypes);
        this.linux = linux;
        this.customImageBase = customImageBase;
        this.customImageChecks = Set.copyOf(customImageChecks);
        this.packageProxy = Objects.requireNonNull(packageProxy);
        this.appliesNetworkConfig = appliesNetworkConfig;
        this.architectures = Set.copyOf(architectures);
        this.osReleaseIds = Set.copyOf(osReleaseIds);
    }

    /** An install-only (xinstall), non-Linux family that installs no filetype yet. */
    public static OsDescription of(String name, String title, String defaultRelease) {
        return new OsDescription(name, title, defaultRelease, Set.of(BootPurpose.XINSTALL), Map.of(), false, false,
                Set.of(), PackageProxy.NONE, false, Set.of(), Set.of());
    }

    /** What images of this OS can be used for (default: xinstall). */
    public OsDescription purposes(Set<BootPurpose> p) {
        return new OsDescription(name, title, defaultRelease, p, filetypes, linux, customImageBase, customImageChecks,
                packageProxy, appliesNetworkConfig, architectures, osReleaseIds);
    }

    /** The stored filetypes this OS installs, to curtin source types; see {@link ImageFiletypes}. */
    public OsDescription filetypes(Map<String, String> f) {
        return new OsDescription(name, title, defaultRelease, purposes, f, linux, customImageBase, customImageChecks,
                packageProxy, appliesNetworkConfig, architectures, osReleaseIds);
    }

    /**
     * A Linux family: it can be a custom image's base, which then needs cloud-init and curtin hooks; its package
     * manager takes the proxy as {@code proxy} says; its images say {@code ID=} one of {@code osReleaseIds}.
     */
    public OsDescription linux(PackageProxy proxy, String... osReleaseIds) {
        return new OsDescription(name, title, defaultRelease, purposes, filetypes, true, true,
                EnumSet.of(CustomImageCheck.CLOUD_INIT, CustomImageCheck.CURTIN_HOOKS), proxy, appliesNetworkConfig,
                architectures, new LinkedHashSet<>(List.of(osReleaseIds)));
    }

    /** What a custom image on this base must carry (replaces what {@link #linux} set). */
    public OsDescription customImageChecks(Set<CustomImageCheck> checks) {
        return new OsDescription(name, title, defaultRelease, purposes, filetypes, linux, customImageBase, checks,
                packageProxy, appliesNetworkConfig, architectures, osReleaseIds);
    }

    /** Curtin applies the machine's network configuration to this OS. */
    public OsDescription appliesNetworkConfig() {
        return new OsDescription(name, title, defaultRelease, purposes, filetypes, linux, customImageBase,
                customImageChecks, packageProxy, true, architectures, osReleaseIds);
    }

    /** The architectures ("amd64/generic") this OS runs on. */
    public OsDescription architectures(String... a) {
        return new OsDescription(name, title, defaultRelease, purposes, filetypes, linux, customImageBase,
                customImageChecks, packageProxy, appliesNetworkConfig, new LinkedHashSet<>(List.of(a)), osReleaseIds);
    }
}
