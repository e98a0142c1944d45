/**
 * Operating-system handlers: the SPI a bundle implements to add an OS family, and the registry that collects them.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.os;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
