package io.metalforge.boot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The boot service (PID {@value #PID}): what booting machines are told about this server. */
@ObjectClassDefinition(name = "Metalforge boot service",
        description = "Advertised address, bootloader folder and defaults of the boot configs served over HTTP and TFTP")
public @interface BootConfiguration {

    String PID = "io.metalforge.boot";

    @AttributeDefinition(description = "host[:port] machines reach the boot HTTP server at, used in every URL of a boot"
            + " config and the kernel command line; empty: the address the request arrived on, port 5248")
    String advertised__address() default "";

    @AttributeDefinition(description = "Folder of bootloader files served by their relative path (lpxelinux.0,"
            + " ldlinux.c32, bootx64.efi, ...); empty: <data>/bootloaders")
    String bootloader__folder() default "";

    @AttributeDefinition(description = "OS of the ephemeral environment for machines not known by MAC (enlistment)")
    String commissioning__osystem() default "ubuntu";

    @AttributeDefinition(description = "Release of that OS")
    String commissioning__distro__series() default "noble";

    @AttributeDefinition(description = "Requests kept per MAC in the boot request log")
    int requests__per__mac() default 50;

    @AttributeDefinition(description = "MACs (and unknown clients) kept in the boot request log")
    int logged__macs() default 1000;
}
