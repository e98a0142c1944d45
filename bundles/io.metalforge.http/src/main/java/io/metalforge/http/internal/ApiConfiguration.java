package io.metalforge.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Limits of the MAAS API endpoint (PID {@value #PID}). The port is Felix HTTP's own setting:
 * {@code org.osgi.service.http.port} (framework property, default 5240 in the distribution, or PID
 * {@code org.apache.felix.http}).
 */
// Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
@ObjectClassDefinition(name = "Metalforge MAAS API", description = "Form limits and OAuth state of /MAAS/api/2.0/")
public @interface ApiConfiguration {

    String PID = "io.metalforge.http";

    @AttributeDefinition(description = "Most parts in one multipart form")
    int max__parts() default 1000;

    @AttributeDefinition(description = "Most decoded bytes of one text field")
    int max__field__bytes() default 1 << 20;

    @AttributeDefinition(description = "Most decoded bytes of one file part (spooled to disk)")
    long max__file__bytes() default 64L << 20;

    @AttributeDefinition(description = "Most bytes of one multipart body")
    long max__form__bytes() default 96L << 20;

    @AttributeDefinition(description = "Most bytes of one urlencoded body (held in memory)")
    int max__urlencoded__bytes() default 4 << 20;

    @AttributeDefinition(description = "Most bytes of a form read before its sender is authenticated (form-carried "
            + "OAuth parameters must come within them; no file part is accepted before)")
    int unauthenticated__body__bytes() default 64 * 1024;

    @AttributeDefinition(description = "Milliseconds within which that unauthenticated prefix must arrive")
    long unauthenticated__body__millis() default 5_000;

    @AttributeDefinition(description = "Most requests reading an unauthenticated form at once (more get 503)")
    int unauthenticated__readers() default 16;

    @AttributeDefinition(description = "Least average bytes per second of any request body once its grace period "
            + "has passed (slower gets 408); 0 turns the rule off")
    long min__body__rate() default 1024;

    @AttributeDefinition(description = "Seconds a request body may take before the minimum rate applies")
    long min__body__rate__grace__seconds() default 30;

    @AttributeDefinition(description = "Bytes kept free on the spool's file system: a file part that could eat into "
            + "them is refused with 507")
    long spool__reserve__bytes() default 256L << 20;

    @AttributeDefinition(description = "Most used OAuth nonces remembered at once with the embedded database (about "
            + "16 to 32 bytes each); when full, the oldest 10-second period is forgotten and timestamps up to its end "
            + "are refused as expired")
    long oauth__nonce__max__entries() default UserStore.DEFAULT_NONCE_ENTRIES;

    @AttributeDefinition(description = "Milliseconds between readings of the credentials' version: how long a key "
            + "revoked by another process on the same database (another region, bin/metalforge-admin) may still "
            + "be accepted here")
    long credential__refresh__millis() default UserStore.DEFAULT_REFRESH_MILLIS;
}
