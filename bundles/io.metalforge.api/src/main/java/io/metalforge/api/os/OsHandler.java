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
 * </ul>
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
}
