package io.metalforge.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered once the platform is ready: every bundle active, every component satisfied (immediate ones active)
 * and every configuration of the deploy folder applied to its components. A component that must run only then
 * (a one-shot command mode, for example) references it; such a reference does not itself hold up readiness.
 */
@ProviderType
public interface PlatformReady {

    /** JVM uptime, in milliseconds, when the platform became ready. */
    long uptimeMillis();
}
