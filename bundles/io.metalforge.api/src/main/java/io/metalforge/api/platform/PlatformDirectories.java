package io.metalforge.api.platform;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the platform keeps its state. Resolved once at start from, in order: the system property, the
 * environment variable, the default relative to the working directory.
 * <ul>
 * <li>data: {@code metalforge.data} / {@code METALFORGE_DATA} / {@code ./var}</li>
 * <li>deploy folder: {@code metalforge.deploy} / {@code METALFORGE_DEPLOY} / {@code ./deploy}</li>
 * </ul>
 */
@ProviderType
public interface PlatformDirectories {

    String DATA_PROPERTY = "metalforge.data";
    String DATA_ENV = "METALFORGE_DATA";
    String DEPLOY_PROPERTY = "metalforge.deploy";
    String DEPLOY_ENV = "METALFORGE_DEPLOY";

    /** Absolute folder for persistent state (database, blobs, caches); exists. */
    Path data();

    /** Absolute hot-deploy folder watched for bundles and .cfg/.config files; exists. */
    Path deploy();
}
