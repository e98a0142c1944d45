#!/usr/bin/env bash
# The real-boot test (RealBootIT) with its stage timings, and a reference measured in the same run: the same qemu
# (TCG) booting the same image straight from its disk, without network, to the guest's /init (what the firmware, the
# SYSLINUX boot and the kernel cost on this machine, whatever Metalforge does).
# Usage: bench/realboot.sh            (needs what .ci/run installs; fetches Debian's kernel with .ci/fetch-kernel.sh)
#        bench/realboot.sh uefi       the optional UEFI run instead (also needs ovmf and grub-efi-amd64-bin); the
#                                     reference then boots the image's BOOTX64.EFI under OVMF
# Prints the test's "realboot" lines, then one summary line with the ratio of each deployment to the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-bios}
firmware=(-machine pc,accel=tcg)
tests=(-Dit.test=RealBootIT)
if [ "$mode" = uefi ]; then
  firmware=(-machine q35,accel=tcg -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd)
  tests=(-Dit.test='RealBootIT#uefi*' -Dmetalforge.realboot.uefi=true -Dfailsafe.failIfNoSpecifiedTests=false)
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
export METALFORGE_REALBOOT_KERNEL=${METALFORGE_REALBOOT_KERNEL:-$(.ci/fetch-kernel.sh)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# reference: the image booted from its disk, to the line "MF init deployed" of its /init
bash itests/src/test/realboot/build-guest.sh "$METALFORGE_REALBOOT_KERNEL" "$work/guest" 10.0.2.100:5248 "$mode" > /dev/null
cp "$work/guest/image.raw" "$work/disk.raw"
if [ "$mode" = uefi ]; then
  cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
  firmware+=(-drive if=pflash,format=raw,file="$work/vars.fd")
fi
start=$(date +%s.%N)
qemu-system-x86_64 "${firmware[@]}" -m 512 -smp 1 -nographic -no-user-config -nic none \
  -drive file="$work/disk.raw",format=raw,if=virtio < /dev/null > "$work/serial.log" 2>&1 &
qemu=$!
for _ in $(seq 3000); do
  grep -q "MF init deployed" "$work/serial.log" && break
  kill -0 "$qemu" 2> /dev/null || break
  sleep 0.1
done
reached=$(date +%s.%N)
kill "$qemu" 2> /dev/null || true
wait "$qemu" 2> /dev/null || true
grep -q "MF init deployed" "$work/serial.log" || { echo "the reference boot did not reach /init" >&2; exit 1; }
reference=$(echo "$reached - $start" | bc)

mvn -B -o -pl itests -am verify -Dtest=NONE -Dmetalforge.failIfNoTests=false "${tests[@]}" > "$work/mvn.log" 2>&1 \
  || { tail -n 80 "$work/mvn.log"; exit 1; }
grep -h '^realboot' "$work/mvn.log" | awk '!seen[$0]++'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v ref="$reference" '
  /^realboot   Deployed seen through the API/ { n++; t[n] = $(NF-3) }
  /^realboot total/ { total = $(NF-1) }
  END {
    printf "summary: direct disk boot to /init %.1f s; deployments (deploy call to Deployed):", ref
    for (i = 1; i <= n; i++) printf " %.1f s (%.1fx)", t[i], t[i] / ref
    printf "; whole test %.1f s\n", total
  }' <(grep -h '^realboot' "$work/mvn.log" | awk '!seen[$0]++')
