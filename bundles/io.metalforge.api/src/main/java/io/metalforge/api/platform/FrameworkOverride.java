package io.metalforge.api.platform;

import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;

/**
 * The rule by which a framework property (e.g. {@code -Dmetalforge.boot.http.port=N}) moves a component's setting, as
 * {@code org.osgi.service.http.port} moves the API: the property applies only while the component's PID has no
 * configuration ({@code service.pid} absent from its properties); a configuration always wins.
 */
public final class FrameworkOverride {

    private FrameworkOverride() {
    }

    /**
     * The framework property's value when it applies to a component with these properties; empty when the PID is
     * configured or the property is not set.
     */
    public static Optional<String> of(Map<String, ?> componentProperties, String frameworkValue) {
        return componentProperties.containsKey("service.pid") ? Optional.empty() : Optional.ofNullable(frameworkValue);
    }

    /**
     * The framework property {@code key} as {@code context} reads it, when it applies to a component with these
     * properties; empty when the PID is configured, the property is not set or there is no context.
     */
    public static Optional<String> of(Map<String, ?> componentProperties, BundleContext context, String key) {
        return of(componentProperties, context == null ? null : context.getProperty(key));
    }
}
