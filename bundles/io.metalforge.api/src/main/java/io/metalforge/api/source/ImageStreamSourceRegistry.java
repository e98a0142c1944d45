package io.metalforge.api.source;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.platform.ExtensionRegistry;

/** The image stream sources wired now, by type. */
@ProviderType
public interface ImageStreamSourceRegistry extends ExtensionRegistry<ImageStreamSource> {
}
