/**
 * Platform services shared by every bundle: where data lives, the extension registries, the not-installed error,
 * the managed threads components use instead of their own ({@link io.metalforge.api.platform.PlatformExecutor}) and
 * the console they share ({@link io.metalforge.api.platform.PlatformConsole}), and the rule by which framework
 * properties move a component's setting ({@link io.metalforge.api.platform.FrameworkOverride}).
 */
@Export
@Version("1.3.0")
package io.metalforge.api.platform;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
