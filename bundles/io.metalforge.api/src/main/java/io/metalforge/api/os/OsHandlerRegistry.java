package io.metalforge.api.os;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.platform.ExtensionRegistry;

/** The OS handlers wired now, by {@link OsHandler#name()}. */
@ProviderType
public interface OsHandlerRegistry extends ExtensionRegistry<OsHandler> {
}
