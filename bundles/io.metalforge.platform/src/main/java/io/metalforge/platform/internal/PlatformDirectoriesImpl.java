package io.metalforge.platform.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.platform.PlatformDirectories;

/**
 * Resolves the data and deploy folders once, creating them when missing. Immediate, so the folders exist as soon as
 * the platform starts. The distribution sets the properties to FileInstall placeholders such as
 * {@code ${env:METALFORGE_DEPLOY:-deploy}}; an unresolved placeholder counts as unset here and the same fallbacks
 * apply, so both agree on the folder.
 */
@Component(service = PlatformDirectories.class, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class PlatformDirectoriesImpl implements PlatformDirectories {

    private final Path data;
    private final Path deploy;

    @Activate
    public PlatformDirectoriesImpl(BundleContext context) {
        this(context::getProperty, System::getenv);
    }

    PlatformDirectoriesImpl(Function<String, String> properties, Function<String, String> environment) {
        this.data = ensure(resolve(properties, environment, DATA_PROPERTY, DATA_ENV, "var"));
        this.deploy = ensure(resolve(properties, environment, DEPLOY_PROPERTY, DEPLOY_ENV, "deploy"));
    }

    static Path resolve(Function<String, String> properties, Function<String, String> environment, String property,
            String env, String fallback) {
        String value = properties.apply(property);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            value = environment.apply(env);
        }
        if (value == null || value.isBlank()) {
            value = fallback;
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create folder " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path data() {
        return data;
    }

    @Override
    public Path deploy() {
        return deploy;
    }
}
