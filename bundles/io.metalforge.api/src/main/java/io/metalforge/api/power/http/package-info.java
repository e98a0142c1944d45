/**
 * SDK for authors of HTTP-speaking power drivers (Redfish, webhooks, vendor REST BMCs): shared clients, basic
 * authorization, bounded answers and the mapping of transport failures to {@link io.metalforge.api.power.PowerFailure}
 * kinds, so every driver reports an unreachable BMC the same way.
 */
@Export
@Version("1.0.0")
package io.metalforge.api.power.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
