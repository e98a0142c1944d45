/**
 * The PXELINUX boot method (MAAS "pxe"), registered with {@code metalforge.boot.method=pxelinux}: it owns
 * {@code pxelinux.cfg/01-<mac>} and {@code pxelinux.cfg/default} for lpxelinux.0 with an HTTP path prefix, and
 * chain.c32 for a local boot.
 */
package io.metalforge.boot.pxelinux.internal;
