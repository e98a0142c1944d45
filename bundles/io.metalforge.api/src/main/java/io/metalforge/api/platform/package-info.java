/**
 * Platform services shared by every bundle: where data lives, the extension registries, the not-installed error,
 * the managed threads components use instead of their own ({@link io.metalforge.api.platform.PlatformExecutor}) and
 * the console they share ({@link io.metalforge.api.platform.PlatformConsole}).
 */
@Export
@Version("1.1.0")
package io.metalforge.api.platform;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
