/**
 * The GRUB boot method (MAAS "uefi_amd64_tftp", "uefi_arm64_tftp" and their HTTP variants), registered with
 * {@code metalforge.boot.method=grub}: it owns the {@code grub/grub.cfg} pre-loader, {@code grub/grub.cfg-<mac>}
 * and {@code grub/grub.cfg-default-<arch>}, and the chainload of the disk's EFI loader for a local boot.
 */
package io.metalforge.boot.grub.internal;
