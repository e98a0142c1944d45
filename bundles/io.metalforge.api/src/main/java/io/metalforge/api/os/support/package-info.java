/**
 * The OS handler SDK: base classes and value types a bundle builds an {@link io.metalforge.api.os.OsHandler} from.
 * The OS bundles of the distribution use it and so can a vendor's (see examples/io.metalforge.example.os.rocky).
 * Versioned apart from the SPI: a handler built on 1.x keeps working when the SDK gains helpers.
 */
@Export
@Version("1.0.0")
package io.metalforge.api.os.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
