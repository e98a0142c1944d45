package io.metalforge.platform.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The log file, PID {@value LogRouting#PID}: {@code <data>/log/metalforge.log}, rotated by size. */
@ObjectClassDefinition(name = "Metalforge log file")
public @interface LogConfiguration {

    @AttributeDefinition(name = "Level", description = "Lowest level written to the file: DEBUG, INFO, WARNING or "
            + "ERROR (the console shows warnings and errors whatever this says)")
    String level() default "INFO";

    @AttributeDefinition(name = "Size (MB)", description = "The file is rotated when it reaches this size",
            min = "1", max = "10240")
    int megabytes() default 10;

    @AttributeDefinition(name = "Rotated files kept", description = "metalforge.log.1 (newest) to "
            + "metalforge.log.N (oldest)", min = "1", max = "100")
    int keep() default 5;
}
