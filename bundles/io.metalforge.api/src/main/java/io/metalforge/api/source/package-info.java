/**
 * Image stream sources: the SPI a bundle implements to read a catalogue of image products, and the registry.
 */
@Export
@Version("1.2.0")
package io.metalforge.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
