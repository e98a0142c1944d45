/**
 * BMC power drivers: the SPI a bundle implements to add a BMC type, its descriptor and typed failures, and the registry.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.power;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
