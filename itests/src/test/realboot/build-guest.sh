#!/bin/bash
# Builds what the real-boot test (RealBootIT) needs, from Debian packages only, into OUT:
#   vmlinuz, initrd.gz  the netbooted environment: Debian's kernel and a busybox initramfs whose /init is ./init
#   squashfs            a placeholder root image (the busybox environment does not mount root=squash:)
#   image.raw           the image to deploy: a 24 MiB BIOS-bootable disk (syslinux MBR, FAT16 partition holding
#                       the same kernel and initramfs, booted with mf.mode=deployed)
#   root-dd.gz          image.raw compressed, the dd-gz file uploaded as custom/<name>
#   tftp/lpxelinux.0    Debian's lpxelinux.0 with the HTTP path-prefix http://SERVER/ embedded (qemu's DHCP cannot
#                       send MAAS's option 210)
# With a fourth argument "uefi", also (needs grub-efi-amd64-bin):
#   EFI/BOOT/BOOTX64.EFI in the image's FAT partition: a GRUB image whose embedded config boots the same kernel, so
#                       the image boots under UEFI too (found by Metalforge's UEFI "local" config)
#   tftp/bootx64.efi    a GRUB network image for OVMF, loaded over qemu's TFTP; its prefix (http,SERVER)/grub makes
#                       GRUB read everything else from Metalforge's HTTP: grub/grub.cfg (the pre-loader), then
#                       grub/grub.cfg-<mac>, then the kernel (qemu's TFTP only serves static files)
#
#   build-guest.sh KERNEL_DEB OUT SERVER [uefi]   e.g. build-guest.sh linux-image-6.1.0-28-amd64_*.deb /tmp/g 10.0.2.100:5248
#
# Needs busybox-static, cpio, syslinux, syslinux-common, syslinux-utils, pxelinux, mtools, dosfstools, fdisk.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEB=$1
OUT=$2
SERVER=$3
UEFI=${4:-}
MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net virtio_blk"
mkdir -p "$OUT"
cd "$OUT"

# Debian's kernel and the few modules the guest loads: only those are extracted from the package
rm -rf kernel
mkdir kernel
dpkg-deb --fsys-tarfile "$DEB" | tar -x -C kernel --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/virtio/*' \
  './lib/modules/*/kernel/drivers/net/virtio_net.ko' './lib/modules/*/kernel/drivers/net/net_failover.ko' \
  './lib/modules/*/kernel/net/core/failover.ko' './lib/modules/*/kernel/drivers/block/virtio_blk.ko'
cp kernel/boot/vmlinuz-* vmlinuz

# the initramfs: busybox, the modules, /init
rm -rf initramfs
mkdir -p initramfs/bin initramfs/lib/modules initramfs/etc initramfs/proc initramfs/sys initramfs/dev initramfs/tmp
cp /bin/busybox initramfs/bin/busybox
ln -s busybox initramfs/bin/sh
for m in $MODULES; do
  found=$(find kernel/lib/modules -name "$m.ko")
  [ -n "$found" ] || { echo "module $m not in $DEB" >&2; exit 1; }
  cp "$found" initramfs/lib/modules/
done
install -m 0755 "$HERE/init" initramfs/init
install -m 0755 "$HERE/udhcpc.script" initramfs/etc/udhcpc.script
(cd initramfs && find . | cpio -o -H newc --quiet | gzip -6) > initrd.gz
rm -rf kernel initramfs

echo "placeholder: the test's busybox environment does not mount root=squash:" > squashfs

# the image: MBR boot code, one bootable FAT16 partition from 1 MiB, SYSLINUX in it
cat > syslinux.cfg <<'CFG'
DEFAULT deployed
PROMPT 0
TIMEOUT 0
LABEL deployed
  SAY Booting the deployed image ...
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=ttyS0 mf.mode=deployed quiet panic=5
CFG
rm -f image.raw part.raw
truncate -s 24M image.raw
printf 'label: dos\nstart=2048, type=e, bootable\n' | sfdisk -q image.raw
dd if=/usr/lib/syslinux/mbr/mbr.bin of=image.raw conv=notrunc bs=440 count=1 status=none
mkfs.fat -F 16 -h 2048 -n DEPLOYED -C part.raw $(( (24 * 1024 * 1024 / 512 - 2048) / 2 )) > /dev/null
syslinux --install part.raw
mcopy -i part.raw vmlinuz initrd.gz syslinux.cfg ::
if [ "$UEFI" = uefi ]; then
  # GRUB finds its own partition by the kernel file, and boots what SYSLINUX boots under BIOS
  cat > grub-local.cfg <<'CFG'
search --set=root --file /vmlinuz
echo 'Booting the deployed image (UEFI) ...'
linux /vmlinuz console=ttyS0 mf.mode=deployed quiet panic=5
initrd /initrd.gz
boot
CFG
  grub-mkimage -O x86_64-efi -c grub-local.cfg -p /EFI/BOOT -o BOOTX64.EFI \
    part_msdos fat search search_fs_file linux echo normal
  mmd -i part.raw ::EFI ::EFI/BOOT
  mcopy -i part.raw BOOTX64.EFI ::EFI/BOOT/BOOTX64.EFI
  rm -f grub-local.cfg BOOTX64.EFI
fi
dd if=part.raw of=image.raw bs=512 seek=2048 conv=notrunc status=none
rm -f part.raw syslinux.cfg
gzip -6 -n -c image.raw > root-dd.gz

# PXELINUX over qemu's TFTP, everything after it over Metalforge's HTTP
mkdir -p tftp
cp /usr/lib/PXELINUX/lpxelinux.0 tftp/lpxelinux.0
pxelinux-options -a path-prefix "http://$SERVER/" tftp/lpxelinux.0 > /dev/null

# UEFI: OVMF loads bootx64.efi over qemu's TFTP; every module its configs use is built in, as nothing is loaded later
if [ "$UEFI" = uefi ]; then
  grub-mkimage -O x86_64-efi -p "(http,$SERVER)/grub" -o tftp/bootx64.efi \
    efinet net http tftp normal configfile echo test linux search search_fs_file part_msdos part_gpt fat chain \
    halt reboot
fi
