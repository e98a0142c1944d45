package io.metalforge.boot.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The boot HTTP server (PID {@value #PID}), a listener of its own so boot and API traffic are bound and limited apart. */
@ObjectClassDefinition(name = "Metalforge boot HTTP server", description = "images/, boot configs and bootloaders on 5248")
public @interface BootHttpConfiguration {

    String PID = "io.metalforge.boot.http";

    @AttributeDefinition(description = "Address to listen on (0.0.0.0: all IPv4 addresses)")
    String bind__address() default "0.0.0.0";

    @AttributeDefinition(description = "TCP port (MAAS's rack HTTP port is 5248; 0 picks a free one)")
    int port() default 5248;

    @AttributeDefinition(description = "Most connections open at once; one more is answered 503")
    int max__connections() default 1024;

    @AttributeDefinition(description = "Most connections open at once from one client address")
    int max__connections__per__client() default 64;

    @AttributeDefinition(description = "Seconds a connection may wait for a request (or a stalled client read)")
    int idle__timeout__seconds() default 30;

    @AttributeDefinition(description = "host:port of the MAAS API and metadata service, where /MAAS/ is forwarded")
    String api__address() default "127.0.0.1:5240";
}
