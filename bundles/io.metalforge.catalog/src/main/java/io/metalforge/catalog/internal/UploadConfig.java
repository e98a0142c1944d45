package io.metalforge.catalog.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metalforge custom image upload")
public @interface UploadConfig {

    @AttributeDefinition(name = "Commissioning OS/series",
            description = "Base image given to custom images uploaded without one (MAAS commissioning_osystem/series).")
    String commissioningBaseImage() default "ubuntu/noble";

    @AttributeDefinition(name = "Additional usable architectures",
            description = "Architectures accepted for uploads on top of those of synced images and (unless "
                    + "syncedArchitecturesOnly) those the installed OS handlers support.")
    String[] additionalArchitectures() default {};

    @AttributeDefinition(name = "Synced architectures only (the MAAS rule)",
            description = "When true, uploads accept only architectures of synced images (plus the additional ones), "
                    + "as MAAS does. When false (the default), every architecture an installed OS handler supports "
                    + "is accepted, so a fresh appliance can take a custom image before its first sync.")
    boolean syncedArchitecturesOnly() default false;
}
