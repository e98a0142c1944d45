package io.metalforge.catalog.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge custom image upload")
public @interface UploadConfig {

    @AttributeDefinition(name = "Commissioning OS/series",
            description = "Base image given to custom images uploaded without one (MAAS commissioning_osystem/series).")
    String commissioning__base__image() default "ubuntu/noble";

    @AttributeDefinition(name = "Additional usable architectures",
            description = "Architectures accepted before any image has been synced (MAAS accepts only those of synced "
                    + "images); e.g. amd64/generic for an air-gapped site.")
    String[] additional__architectures() default {};
}
