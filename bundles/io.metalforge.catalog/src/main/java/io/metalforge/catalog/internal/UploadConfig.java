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
            description = "Architectures accepted for uploads on top of those of synced images and (unless "
                    + "synced_architectures_only) those the installed OS handlers support.")
    String[] additional__architectures() default {};

    @AttributeDefinition(name = "Synced architectures only (the MAAS rule)",
            description = "When true, uploads accept only architectures of synced images (plus the additional ones), "
                    + "as MAAS does. When false (the default), every architecture an installed OS handler supports "
                    + "is accepted, so a fresh appliance can take a custom image before its first sync.")
    boolean synced__architectures__only() default false;
}
