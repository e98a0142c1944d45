package io.metalforge.api.os;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An operating-system family (ubuntu, centos, custom, windows, ...). A bundle adds an OS by registering an
 * implementation as an OSGi service with the service property {@link #PROPERTY_NAME} set to {@link #name()}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #name()} is lower case, stable, and unique in the platform; it is the part before the slash in an
 * image name ("centos/8").</li>
 * <li>Every method is side-effect free, fast (no I/O) and thread-safe: the platform calls them on request threads.</li>
 * <li>The platform may drop the service at any time (bundle stopped); callers then get
 * {@link io.metalforge.api.platform.ExtensionNotInstalledException}, so implementations keep no state that others
 * depend on.</li>
 * <li>Unknown input yields {@code false}, an empty result or an {@link IllegalArgumentException} with an
 * operator-readable message, never another runtime exception.</li>
 * <li>The platform keeps no table of OSes: everything it needs to know about one (is it Linux, can it be a custom
 * image's base, what such an image needs, network config version, package proxy, architectures) it asks here. The
 * methods added in 1.1 have defaults that describe a non-Linux, install-only OS, so handlers written for 1.0 keep
 * working unchanged.</li>
 * </ul>
 * <p>
 * {@link io.metalforge.api.os.support} has base classes that implement most of this from a description.
 */
@ConsumerType
public interface OsHandler {

    /** Service property that carries {@link #name()}. */
    String PROPERTY_NAME = "metalforge.os";

    /** Identifying name, e.g. "ubuntu". */
    String name();

    /** Human title, e.g. "Ubuntu". */
    String title();

    /** The release chosen when none is given; empty when the OS has none (custom). */
    String defaultRelease();

    /** Title of a release, e.g. "noble" to "Ubuntu 24.04 LTS"; the release itself when unknown. */
    String releaseTitle(String release);

    /** Whether a release name is acceptable for this OS. */
    boolean isReleaseSupported(String release);

    /** Releases this handler knows by name (may be empty for open-ended families). */
    List<String> supportedReleases();

    /** What images of this OS can be used for. */
    Set<BootPurpose> purposes();

    /**
     * The curtin source type for a stored filetype or filename ("root-tgz" to "tgz", "root-dd.xz" to "dd-xz"),
     * or empty when this OS cannot install that filetype.
     */
    Optional<String> curtinSourceType(String filetype);

    /** Whether deploying {@code release} needs a licence key (Windows). */
    default boolean requiresLicenceKey(String release) {
        return false;
    }

    /** Whether {@code key} is a well-formed licence key for {@code release}. */
    default boolean isLicenceKeyValid(String release, String key) {
        return true;
    }

    /**
     * The numeric version of a release ("noble" to "24.04"), for rules that depend on it (network config version),
     * or empty when this OS does not number its releases that way.
     */
    default Optional<String> releaseVersion(String release) {
        return Optional.empty();
    }

    /** Releases that can boot machines for commissioning; empty when this OS cannot commission. */
    default List<String> commissioningReleases() {
        return List.of();
    }

    /** The commissioning release chosen when none is configured; empty when this OS cannot commission. */
    default String defaultCommissioningRelease() {
        return "";
    }

    /**
     * For error messages: the valid releases, or what a valid release looks like when the family is open-ended
     * (e.g. "centos<major>[<minor>], e.g. centos70, centos8").
     *
     * @since 1.1
     */
    default String validReleases() {
        return supportedReleases().isEmpty() ? "any" : String.join(", ", supportedReleases());
    }

    /**
     * Whether installed systems of this OS are Linux: curtin writes them, cloud-init configures them, their root is
     * a Linux filesystem.
     *
     * @since 1.1
     */
    default boolean isLinux() {
        return false;
    }

    /**
     * Whether a custom image may name this OS as its base ({@code base_image=<name>/<release>}); the base decides
     * the installer environment and the deployment settings of the custom image. By default, Linux OSes can.
     *
     * @since 1.1
     */
    default boolean isCustomImageBase() {
        return isLinux();
    }

    /**
     * What a custom image on this base must carry. By default a Linux base needs cloud-init and curtin hooks.
     *
     * @since 1.1
     */
    default Set<CustomImageCheck> customImageChecks() {
        return isLinux() ? Set.of(CustomImageCheck.CLOUD_INIT, CustomImageCheck.CURTIN_HOOKS) : Set.of();
    }

    /**
     * The curtin network config version for installed systems of {@code release}: 2 (netplan) or 1.
     *
     * @since 1.1
     */
    default int networkConfigVersion(String release) {
        return 1;
    }

    /**
     * Whether curtin can apply the machine's network configuration to this OS; when not, the deployment warns that
     * the image must configure its network itself.
     *
     * @since 1.1
     */
    default boolean appliesNetworkConfig() {
        return false;
    }

    /**
     * How the installed system's package manager is pointed at the HTTP proxy.
     *
     * @since 1.1
     */
    default PackageProxy packageProxy() {
        return PackageProxy.NONE;
    }

    /**
     * The architectures this OS runs on, as MAAS spells them ("amd64/generic"). Custom images for them can be
     * uploaded before anything is synced (unless the operator keeps the MAAS rule). Empty by default.
     *
     * @since 1.1
     */
    default Set<String> architectures() {
        return Set.of();
    }

    /**
     * The {@code ID} values of {@code /etc/os-release} that images of this OS carry; the doctor warns when a custom
     * image says it is something else than its base. Empty (not checked) by default.
     *
     * @since 1.1
     */
    default Set<String> osReleaseIds() {
        return Set.of();
    }

    /**
     * Checks that {@code release} is one of this OS's, for callers that need an operator-readable refusal.
     *
     * @throws IllegalArgumentException naming the valid releases when it is not
     * @since 1.1
     */
    default void requireRelease(String release) {
        if (!isReleaseSupported(release)) {
            throw new IllegalArgumentException("'" + release + "' is not a " + title() + " release; valid releases: "
                    + validReleases());
        }
    }
}
