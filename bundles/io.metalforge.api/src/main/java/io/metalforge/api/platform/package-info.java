/**
 * Platform services shared by every bundle: where data lives, the extension registries, the not-installed error.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.platform;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
