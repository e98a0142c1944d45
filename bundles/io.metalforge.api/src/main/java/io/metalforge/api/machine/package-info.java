/**
 * Machines: their MAAS lifecycle (New, Ready, Allocated, Deploying, Deployed, Failed deployment, Releasing), their
 * events, and the current deployment's documents as the metadata service serves them.
 */
@Export
@Version("1.0.0")
package io.metalforge.api.machine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
