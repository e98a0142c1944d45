package io.metalforge.api.deploy;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Composes the documents that deploy an image to a machine: curtin configuration (storage, apt, reporting, network,
 * kernel, cloud-config files, the operator's template), the cloud-config of the installed system and, for
 * network config v2, the netplan file.
 *
 * <p>
 * Thread-safe; no I/O except reading operator template files.
 */
@ProviderType
public interface DeploymentComposer {

    /**
     * Composes the configuration.
     *
     * @throws io.metalforge.api.platform.ExtensionNotInstalledException when the image's OS (or its base) has no
     *         handler wired now
     * @throws IllegalArgumentException for input that cannot be deployed, with an operator-readable message
     */
    DeploymentConfig compose(Machine machine, DeployImage image, DeploySettings settings);
}
