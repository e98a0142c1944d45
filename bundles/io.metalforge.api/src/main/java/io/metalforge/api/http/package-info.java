/**
 * The MAAS API whiteboard: a bundle contributes API resources by registering {@link ApiHandler} services; the
 * platform's dispatcher routes requests to them and lists them in {@code describe/}.
 */
@Export
@Version("1.1.0")
package io.metalforge.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
