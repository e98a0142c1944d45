package io.metalforge.machines.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Deployment settings of the machines bundle (PID {@value #PID}). */
@ObjectClassDefinition(name = "Metalforge machines", description = "How machines are deployed")
public @interface MachinesConfiguration {

    String PID = "io.metalforge.machines";

    @AttributeDefinition(description = "The region URL installing machines reach, ending in /MAAS/ (e.g. "
            + "http://10.0.0.2:5240/MAAS/); empty: the scheme, host and port the deploy request came in on")
    String maas__url() default "";

    @AttributeDefinition(description = "Kernel options added to every machine's boot command line (MAAS's "
            + "global kernel_opts); a machine's own kernel_opts follow them")
    String kernel__options() default "";

    @AttributeDefinition(description = "OS of the ephemeral environment that installs non-Ubuntu images")
    String commissioning__osystem() default "ubuntu";

    @AttributeDefinition(description = "Release of that environment, and the default distro_series of a deploy")
    String commissioning__distro__series() default "noble";

    @AttributeDefinition(description = "Largest file an installer may post with an event, in decoded bytes; larger "
            + "ones are cut to this size")
    int max__posted__file__bytes() default 1 << 20;

    @AttributeDefinition(description = "Installer files kept per machine (the newest)")
    int max__files__per__machine() default 20;
}
