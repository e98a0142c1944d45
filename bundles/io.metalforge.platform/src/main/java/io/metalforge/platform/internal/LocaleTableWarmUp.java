package io.metalforge.platform.internal;

import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;

import io.metalforge.api.platform.PlatformExecutor;

/**
 * Builds the JDK's table of available locales on a platform thread while the platform starts. Jetty's MIME types
 * ask for every available locale when their class is first loaded, as the HTTP service starts, and building the
 * table (about 800 language tags parsed) was a seventh of what starting the HTTP service cost, on the critical path
 * of a start. This component starts with the platform at start level 1, while the launcher's own thread still
 * installs and starts bundles and the other core is partly idle; the HTTP service starts at level 3 and finds the
 * table built. The JDK builds it once per JVM; should Jetty get there first, it waits for the one build under way.
 */
@Component(immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class LocaleTableWarmUp {

    private final PlatformExecutor executor;

    @Activate
    public LocaleTableWarmUp(@Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor) {
        this.executor = executor;
    }

    @Activate
    void start() {
        executor.submit("locale-table", () -> Locale.getAvailableLocales().length);
    }
}
