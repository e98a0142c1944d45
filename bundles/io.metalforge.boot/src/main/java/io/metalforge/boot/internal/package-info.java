/**
 * What the boot servers serve, whatever the protocol: it owns the {@code BootMethod} whiteboard (which method
 * answers which path), the operator's boot templates, the kernel command line, the bootloader files, {@code images/}
 * read from the blob store, and the log of boot requests ({@code BootFiles}, {@code metalforge:boot}). Configuration
 * PID {@code io.metalforge.boot}. It opens no socket: {@code io.metalforge.boot.http} and
 * {@code io.metalforge.boot.tftp} do.
 */
package io.metalforge.boot.internal;
