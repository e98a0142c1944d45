package io.metalforge.api.power;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.platform.ExtensionRegistry;

/** The power drivers wired now, by descriptor name. */
@ProviderType
public interface PowerDriverRegistry extends ExtensionRegistry<PowerDriver> {
}
