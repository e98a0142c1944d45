/**
 * The image doctor: checks that an image's content matches its declared filetype and looks inside it (root
 * tarballs, disk images) for what a deployment needs, while the bytes stream into the store.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.inspect;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
