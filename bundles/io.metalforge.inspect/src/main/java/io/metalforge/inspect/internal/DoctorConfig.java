package io.metalforge.inspect.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge image doctor", description = "Limits applied to every inspected image.")
public @interface DoctorConfig {

    @AttributeDefinition(name = "Maximum tar entries")
    long max__entries() default 2_000_000;

    @AttributeDefinition(name = "Maximum extended header bytes per entry")
    int max__header__bytes() default 1 << 20;

    @AttributeDefinition(name = "Maximum path length")
    int max__path__length() default 4096;

    @AttributeDefinition(name = "Maximum path depth")
    int max__path__depth() default 256;

    @AttributeDefinition(name = "Maximum decompressed bytes")
    long max__decompressed__bytes() default 256L << 30;

    @AttributeDefinition(name = "Maximum compression ratio", description = "Checked once 256 MiB were decompressed.")
    long max__ratio() default 2000;

    @AttributeDefinition(name = "xz memory limit (KiB)")
    int xz__memory__limit__kib() default 256 << 10;
}
