package io.metalforge.boot.tftp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The boot TFTP server (PID {@value #PID}). */
@ObjectClassDefinition(name = "Metalforge boot TFTP server",
        description = "Read-only TFTP for firmware that loads its bootloader over TFTP")
public @interface BootTftpConfiguration {

    String PID = "io.metalforge.boot.tftp";

    @AttributeDefinition(description = "Address to listen on (0.0.0.0: all IPv4 addresses)")
    String bind__address() default "0.0.0.0";

    @AttributeDefinition(description = "UDP port (TFTP's is 69; 0 picks a free one)")
    int port() default 69;

    @AttributeDefinition(description = "Most transfers at once; more are refused with a TFTP error")
    int max__transfers() default 128;

    @AttributeDefinition(description = "Most transfers at once to one client address")
    int max__transfers__per__client() default 8;

    @AttributeDefinition(description = "Largest block size granted (RFC 2348 allows 8 to 65464)")
    int max__blksize() default 65464;

    @AttributeDefinition(description = "Largest window granted (RFC 7440), and at most 1 MiB per window")
    int max__windowsize() default 64;

    @AttributeDefinition(description = "Milliseconds to wait for an acknowledgement before sending again, unless"
            + " the client asks for another timeout (RFC 2349)")
    int timeout__millis() default 1000;

    @AttributeDefinition(description = "Times a block is sent again before the transfer is given up")
    int retries() default 5;
}
