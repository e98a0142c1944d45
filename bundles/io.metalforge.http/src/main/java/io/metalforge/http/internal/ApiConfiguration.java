package io.metalforge.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Limits of the MAAS API endpoint (PID {@value #PID}). The port is Felix HTTP's own setting:
 * {@code org.osgi.service.http.port} (framework property, default 5240 in the distribution, or PID
 * {@code org.apache.felix.http}).
 */
@ObjectClassDefinition(name = "Metalforge MAAS API", description = "Form limits of /MAAS/api/2.0/")
public @interface ApiConfiguration {

    String PID = "io.metalforge.http";

    @AttributeDefinition(description = "Most parts in one multipart form")
    int max_parts() default 1000;

    @AttributeDefinition(description = "Most decoded bytes of one text field")
    int max_field_bytes() default 1 << 20;

    @AttributeDefinition(description = "Most decoded bytes of one file part (spooled to disk)")
    long max_file_bytes() default 64L << 20;

    @AttributeDefinition(description = "Most bytes of one multipart body")
    long max_form_bytes() default 96L << 20;

    @AttributeDefinition(description = "Most bytes of one urlencoded body (held in memory)")
    int max_urlencoded_bytes() default 4 << 20;
}
