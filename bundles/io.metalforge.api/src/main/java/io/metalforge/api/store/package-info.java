/**
 * Blob stores: the SPI a bundle implements to keep image bytes, addressed by sha256, and the registry.
 */
@Export
@Version("1.3.0")
package io.metalforge.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
