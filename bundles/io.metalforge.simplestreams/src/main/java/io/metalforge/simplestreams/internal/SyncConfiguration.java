package io.metalforge.simplestreams.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metalforge image import",
        description = "SimpleStreams boot sources, schedule and download settings of the image import.")
@interface SyncConfiguration {

    @AttributeDefinition(description = "Import automatically on the schedule (boot_images_auto_import)")
    boolean auto_import() default true;

    @AttributeDefinition(description = "Minutes between automatic imports (boot_images_import_interval_minutes)", min = "1")
    int interval_minutes() default 60;

    @AttributeDefinition(description = "Files downloaded at once", min = "1", max = "64")
    int parallel_downloads() default 4;

    @AttributeDefinition(description = "Attempts per file for transient failures (4xx answers are never retried)",
            min = "1")
    int max_attempts() default 5;

    @AttributeDefinition(description = "Seconds without a byte after which a download is restarted (resumed)")
    int stall_timeout_seconds() default 60;

    @AttributeDefinition(description = "HTTP proxy for stream downloads, e.g. http://proxy:3128; empty for none")
    String http_proxy() default "";

    @AttributeDefinition(description = "URL of the source created on a fresh install")
    String default_source_url() default BootSourceUrls.STABLE;

    @AttributeDefinition(description = "Keyring of the default source (the Ubuntu cloud image signing key)")
    String default_keyring() default BootSources.DEFAULT_KEYRING;
}
