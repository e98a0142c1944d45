package io.metalforge.power.service.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metalforge power service", description = "How BMC power operations are run.")
@interface PowerServiceConfig {

    @AttributeDefinition(description = "Threads calling BMCs at once (driver calls; pauses hold no thread).")
    int threads() default 32;

    @AttributeDefinition(description = "Pauses between attempts, comma-separated seconds (MAAS: 1,2,2,4,6,8,12).")
    String waits() default WaitSchedule.MAAS;

    @AttributeDefinition(description = "Longest time one operation may take, queueing included, in seconds.")
    int operation_timeout() default 180;

    @AttributeDefinition(description = "Most operations queued or running across all BMCs.")
    int max_pending() default 10000;

    @AttributeDefinition(description = "Most operations queued or running for one BMC.")
    int max_queued_per_bmc() default 16;

    @AttributeDefinition(description = "Most machines whose BMC settings are kept.")
    int max_machines() default 100000;
}
