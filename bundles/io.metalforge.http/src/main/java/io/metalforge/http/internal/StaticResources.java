package io.metalforge.http.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

/**
 * Static files under /MAAS/static/, served by the same Jetty as the API. bench/api.sh uses one as the reference
 * for the API's throughput.
 */
@Component(service = StaticResources.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@HttpWhiteboardResource(pattern = "/MAAS/static/*", prefix = "/static")
public class StaticResources {
}
