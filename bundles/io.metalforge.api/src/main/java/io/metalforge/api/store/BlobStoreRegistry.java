package io.metalforge.api.store;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.platform.ExtensionRegistry;

/** The blob stores wired now, by backend name. */
@ProviderType
public interface BlobStoreRegistry extends ExtensionRegistry<BlobStore> {
}
