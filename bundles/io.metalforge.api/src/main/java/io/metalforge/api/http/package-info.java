/**
 * The MAAS API whiteboard: a bundle contributes API resources by registering {@link ApiHandler} services; the
 * platform's dispatcher routes requests to them and lists them in {@code describe/}. A bundle adds operations to a
 * resource another bundle owns by registering {@link ApiOperations}. Handlers and operations that carry their name and
 * path as service properties are activated on their first request (1.2).
 */
@Export
@Version("1.2.0")
package io.metalforge.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
