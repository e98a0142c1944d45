/**
 * The iPXE boot method (MAAS "ipxe"), registered with {@code metalforge.boot.method=ipxe}: it owns the
 * {@code ipxe.cfg} pre-loader, {@code ipxe.cfg-<mac>} and {@code ipxe.cfg-default-<arch>} (kernel, initrd and
 * imgargs over HTTP; sanboot for a local boot).
 */
package io.metalforge.boot.ipxe.internal;
