package io.metalforge.inspect.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metalforge image doctor", description = "Limits applied to every inspected image.")
public @interface DoctorConfig {

    @AttributeDefinition(name = "Maximum tar entries")
    long maxEntries() default 2_000_000;

    @AttributeDefinition(name = "Maximum extended header bytes per entry")
    int maxHeaderBytes() default 1 << 20;

    @AttributeDefinition(name = "Maximum path length")
    int maxPathLength() default 4096;

    @AttributeDefinition(name = "Maximum path depth")
    int maxPathDepth() default 256;

    @AttributeDefinition(name = "Maximum decompressed bytes")
    long maxDecompressedBytes() default 256L << 30;

    @AttributeDefinition(name = "Maximum compression ratio", description = "Checked once 256 MiB were decompressed.")
    long maxRatio() default 2000;

    @AttributeDefinition(name = "xz memory limit (KiB)")
    int xzMemoryLimitKiB() default 256 << 10;
}
