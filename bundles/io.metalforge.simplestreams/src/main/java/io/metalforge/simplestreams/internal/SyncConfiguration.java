package io.metalforge.simplestreams.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge image import",
        description = "SimpleStreams boot sources, schedule and download settings of the image import.")
@interface SyncConfiguration {

    @AttributeDefinition(description = "Import automatically on the schedule (boot_images_auto_import)")
    boolean auto__import() default true;

    @AttributeDefinition(description = "Minutes between automatic imports (boot_images_import_interval_minutes)", min = "1")
    int interval__minutes() default 60;

    @AttributeDefinition(description = "Files downloaded at once; 0 adapts to the machine: one per core, 2 to 8",
            min = "0", max = "64")
    int parallel__downloads() default 0;

    @AttributeDefinition(description = "Attempts per file for transient failures (4xx answers are never retried)",
            min = "1")
    int max__attempts() default 5;

    @AttributeDefinition(description = "Seconds without a byte after which a download is restarted (resumed)")
    int stall__timeout__seconds() default 60;

    @AttributeDefinition(description = "HTTP proxy for stream downloads, e.g. http://proxy:3128; empty for none")
    String http__proxy() default "";

    @AttributeDefinition(description = "URL of the source created on a fresh install")
    String default__source__url() default BootSourceUrls.STABLE;

    @AttributeDefinition(description = "Keyring of the default source (the Ubuntu cloud image signing key)")
    String default__keyring() default BootSources.DEFAULT_KEYRING;
}
