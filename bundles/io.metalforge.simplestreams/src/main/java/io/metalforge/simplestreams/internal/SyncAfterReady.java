package io.metalforge.simplestreams.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.platform.PlatformReady;

/**
 * Activates the image sync once the platform is ready, so its import schedule runs (and its activation's clean-up
 * of a sync killed mid-download is done) whether or not anyone uses the API. The API's handlers are activated on
 * their first request, and the sync with them, so without this a platform nobody queried would never import; and
 * doing it at ready keeps the sync's database work off the start.
 */
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class SyncAfterReady {

    @Activate
    public SyncAfterReady(@Reference PlatformReady ready, @Reference SimpleStreamsService sync) {
        // nothing to do: referencing the sync service is what activates it
    }
}
