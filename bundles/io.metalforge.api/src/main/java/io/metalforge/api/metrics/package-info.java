/**
 * Operation counters that bundles report to the metrics bundle ({@code /MAAS/metrics}): bytes the image sync
 * downloaded, bytes uploads stored, power operations by driver and result.
 */
@Export
@Version("1.0.0")
package io.metalforge.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
