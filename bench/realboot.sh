#!/usr/bin/env bash
# The real-boot test (RealBootIT) with its stage timings, and two references measured in the same run: the same qemu
# (TCG) booting the same image straight from its disk, without network, to the guest's /init, once with SeaBIOS (the
# image's SYSLINUX) and once with OVMF (the image's BOOTX64.EFI): what the firmware, the bootloader and the kernel cost
# on this machine, whatever Metalforge does.
# Usage: bench/realboot.sh            (needs what .ci/run installs; fetches Debian's kernel with .ci/fetch-kernel.sh)
# Prints the test's "realboot" lines, then one summary line with the ratio of each deployment to its reference (the
# UEFI machine's to the OVMF boot, the others' to the SeaBIOS boot).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
export METALFORGE_REALBOOT_KERNEL=${METALFORGE_REALBOOT_KERNEL:-$(.ci/fetch-kernel.sh)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash itests/src/test/realboot/build-guest.sh "$METALFORGE_REALBOOT_KERNEL" "$work/guest" 10.0.2.100:5248 uefi > /dev/null

# reference: the image booted from its disk, to the line "MF init deployed" of its /init; prints the seconds
reference() {
  local firmware=("$@")
  cp "$work/guest/image.raw" "$work/disk.raw"
  rm -f "$work/serial.log"
  local start reached qemu
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
  grep -q "MF init deployed" "$work/serial.log" || { echo "the reference boot ($*) did not reach /init" >&2; exit 1; }
  echo "$reached - $start" | bc
}
bios=$(reference -machine pc,accel=tcg)
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
uefi=$(reference -machine q35,accel=tcg -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
  -drive if=pflash,format=raw,file="$work/vars.fd")

mvn -B -o -pl itests -am verify -Dtest=NONE -Dmetalforge.failIfNoTests=false -Dit.test=RealBootIT > "$work/mvn.log" 2>&1 \
  || { tail -n 80 "$work/mvn.log"; exit 1; }
grep -h '^realboot' "$work/mvn.log" | awk '!seen[$0]++'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v bios="$bios" -v uefi="$uefi" '
  /^realboot [^ ].*: deploy call to power on/ { label = $0; sub(/^realboot /, "", label); sub(/: deploy call.*/, "", label) }
  /^realboot   (Deployed|Failed deployment) seen through the API/ {
    n++; name[n] = label; t[n] = $(NF-3); ref[n] = (label == "UEFI") ? uefi : bios
  }
  /^realboot total/ { total = $(NF-1) }
  END {
    printf "summary: direct disk boot to /init %.1f s (SeaBIOS), %.1f s (OVMF); deploy call to final status:", bios, uefi
    for (i = 1; i <= n; i++) printf " %s %.1f s (%.1fx)", name[i], t[i], t[i] / ref[i]
    printf "; whole test %.1f s\n", total
  }' <(grep -h '^realboot' "$work/mvn.log" | awk '!seen[$0]++')
