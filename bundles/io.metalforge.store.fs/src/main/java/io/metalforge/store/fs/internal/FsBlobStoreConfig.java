package io.metalforge.store.fs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge filesystem blob store", description = "Where and how image bytes are kept.")
public @interface FsBlobStoreConfig {

    @AttributeDefinition(name = "Directory", description = "Blob folder; empty means <data>/blobs.")
    String directory() default "";

    @AttributeDefinition(name = "Free-space reserve (bytes)",
            description = "Space the store always leaves free on its filesystem; uploads that would eat into it are refused.")
    long reserve__bytes() default 268435456L;

    @AttributeDefinition(name = "Quota (bytes)",
            description = "Upper bound for blobs plus partial uploads; 0 means only the filesystem limits it.")
    long quota__bytes() default 0L;

    @AttributeDefinition(name = "Direct I/O for uploads",
            description = "Write uploads past the page cache (O_DIRECT) where the filesystem allows it; false "
                    + "sends every byte through the page cache, e.g. for a network filesystem that makes direct "
                    + "writes synchronous.")
    boolean direct__io() default true;
}
