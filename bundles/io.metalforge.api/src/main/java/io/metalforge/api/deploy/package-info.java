/**
 * Deployment configuration: the machine model a deployment needs (network, disks, storage layout), the image being
 * deployed, and the composer that turns both into the documents the installer (curtin) and cloud-init consume.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.deploy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
