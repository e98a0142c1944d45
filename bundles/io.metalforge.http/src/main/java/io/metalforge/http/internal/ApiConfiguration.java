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

    @AttributeDefinition(description = "Most bytes of a form read before its sender is authenticated (form-carried "
            + "OAuth parameters must come within them; no file part is accepted before)")
    int unauthenticated_body_bytes() default 64 * 1024;

    @AttributeDefinition(description = "Milliseconds within which that unauthenticated prefix must arrive")
    long unauthenticated_body_millis() default 5_000;

    @AttributeDefinition(description = "Most requests reading an unauthenticated form at once (more get 503)")
    int unauthenticated_readers() default 16;

    @AttributeDefinition(description = "Least average bytes per second of any request body once its grace period "
            + "has passed (slower gets 408); 0 turns the rule off")
    long min_body_rate() default 1024;

    @AttributeDefinition(description = "Seconds a request body may take before the minimum rate applies")
    long min_body_rate_grace_seconds() default 30;

    @AttributeDefinition(description = "Bytes kept free on the spool's file system: a file part that could eat into "
            + "them is refused with 507")
    long spool_reserve_bytes() default 256L << 20;
}
