#!/usr/bin/env bash
# Fetches Debian's current amd64 kernel package (what linux-image-amd64 depends on) with apt-get download into
# ${METALFORGE_KERNEL_CACHE:-~/.cache/metalforge/kernel}, once; RealBootIT boots it in qemu. Prints the .deb's path.
set -euo pipefail
cache=${METALFORGE_KERNEL_CACHE:-$HOME/.cache/metalforge/kernel}
mkdir -p "$cache"
package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$package" ]; then
  echo "apt-cache knows no linux-image-amd64 kernel: run apt-get update" >&2
  exit 1
fi
if ! ls "$cache/${package}"_*_amd64.deb > /dev/null 2>&1; then
  # apt's sandbox user cannot write to a private cache folder; download as the caller into a fresh folder. apt's
  # own messages ("Get:1 ...") go to stderr: stdout is the path alone, which .ci/run captures
  (cd "$cache" && apt-get download -q "$package" >&2 2> >(grep -v 'unsandboxed' >&2))
fi
ls "$cache/${package}"_*_amd64.deb | tail -n 1
