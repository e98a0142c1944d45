package io.metalforge.catalog.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metalforge custom image upload")
public @interface UploadConfig {

    @AttributeDefinition(name = "Commissioning OS/series",
            description = "Base image given to custom images uploaded without one (MAAS commissioning_osystem/series).")
    String commissioningBaseImage() default "ubuntu/noble";

    @AttributeDefinition(name = "Additional usable architectures",
            description = "Architectures accepted before any image has been synced (MAAS accepts only those of synced "
                    + "images); e.g. amd64/generic for an air-gapped site.")
    String[] additionalArchitectures() default {};
}
