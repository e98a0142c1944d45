package io.metalforge.power.service.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge power service", description = "How BMC power operations are run.")
@interface PowerServiceConfig {

    /** The configuration PID operators write (deploy/io.metalforge.power.service.cfg); see docs/POWER.md. */
    String PID = "io.metalforge.power.service";

    @AttributeDefinition(description = "Threads calling BMCs at once (driver calls; pauses hold no thread).")
    int threads() default 32;

    @AttributeDefinition(description = "Pauses between attempts, comma-separated seconds (MAAS: 1,2,2,4,6,8,12).")
    String waits() default WaitSchedule.MAAS;

    @AttributeDefinition(description = "Longest time one operation may take, queueing included, in seconds.")
    int operation__timeout() default 180;

    @AttributeDefinition(description = "Longest time a power query may take, queueing included, in seconds (MAAS: 60).")
    int query__timeout() default 60;

    @AttributeDefinition(description = "Most operations queued or running across all BMCs.")
    int max__pending() default 10000;

    @AttributeDefinition(description = "Most operations queued or running for one BMC.")
    int max__queued__per__bmc() default 16;

    @AttributeDefinition(description = "Most machines whose BMC settings are kept.")
    int max__machines() default 100000;
}
