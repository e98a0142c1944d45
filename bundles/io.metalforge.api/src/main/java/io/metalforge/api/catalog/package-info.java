/**
 * The image catalog: boot resources, their versioned sets and files, as MAAS models them.
 */
@Export
@Version("1.5.0")
package io.metalforge.api.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
