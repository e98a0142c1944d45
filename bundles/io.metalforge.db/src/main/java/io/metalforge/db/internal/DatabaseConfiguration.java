package io.metalforge.db.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Which database the platform uses. Left empty, the embedded H2 database under the data folder is used; a
 * PostgreSQL URL selects PostgreSQL (for installations with several regions sharing one database).
 */
// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge database", description = "Embedded H2 by default; PostgreSQL when a URL is set.")
public @interface DatabaseConfiguration {

    String PID = "io.metalforge.db";

    @AttributeDefinition(name = "JDBC URL", description = "Empty for the embedded database, or "
            + "jdbc:postgresql://HOST:PORT/DATABASE", required = false)
    String url() default "";

    @AttributeDefinition(name = "User", required = false)
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "Pool size", description = "Most connections open at once", min = "1", max = "200")
    int pool__size() default 16;

    @AttributeDefinition(name = "Disk reserve (bytes)", description = "Space the embedded database keeps in a file "
            + "in its folder and releases when the disk is full, so it stays usable until space is freed; 0 for none",
            min = "0")
    long reserve__bytes() default 32L * 1024 * 1024;
}
