#!/usr/bin/env bash
# The appliance's resident memory under load, started with the JDK's defaults (`java -jar metalforge.jar`, the JVM's
# default heap for this machine, the larger footprint: the README's bin/metalforge bounds the heap at 512m): RSS after
# start, then its peak during each load, and the live heap after a full GC at the end.
#   bench/footprint.sh [SIZE_MIB] [SECONDS]   (default 1024 MiB uploads, 20 s of signed reads)
# Loads, one after the other, on loopback:
#   upload-v2  a SIZE_MIB raw disk image through the maas CLI's flow (create POST, 4 MiB PUTs; bench/maas_upload.py)
#   upload-v3  the same size as one MAAS v3 request
#   reads      signed GET boot-resources/ with wrk, 64 connections, SECONDS long (bench/api-sign.lua)
# Target (issue "Throughput"): RSS ≤ 512 MB by default. Ends with one "SUMMARY footprint" line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-1024}
secs=${2:-20}
jar=${METALFORGE_JAR:-$root/distribution/target/metalforge.jar}
for tool in wrk curl python3 sfdisk mkfs.ext4 jcmd; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done
[ -f "$jar" ] || { echo "$jar not found: mvn -B package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
srv=$work/server
mkdir -p "$srv/deploy"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "org.osgi.service.http.port=$port" > "$srv/deploy/org.apache.felix.http.cfg"
# nothing is synced here, so accept amd64/generic uploads as an air-gapped site would
printf 'additional_architectures=["amd64/generic"]\n' > "$srv/deploy/io.metalforge.catalog.upload.config"
export METALFORGE_DATA=$srv/var
(cd "$srv" && exec java -Dgosh.args=--nointeractive -jar "$jar" </dev/null >server.log 2>&1) &
app=$!
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 240); do grep -q "metalforge ready" "$srv/server.log" && break; sleep 0.5; done
grep -q "metalforge ready" "$srv/server.log" || { cat "$srv/server.log" >&2; echo "appliance did not start" >&2; exit 1; }
sleep 2
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$app/status"; }
rss_start=$(rss)

# the RSS every 0.2 s, into a file the phases read their peak from
( while kill -0 "$app" 2>/dev/null; do echo "$(rss)"; sleep 0.2; done ) > "$work/rss.log" &
sampler=$!
peak_since() { tail -n +"$1" "$work/rss.log" | sort -n | tail -1; }
mark() { wc -l < "$work/rss.log"; }

key=$(cd "$srv" && METALFORGE_JAR="$jar" "$root/bin/metalforge-admin" createadmin bench | tail -1)
image=$work/image.raw
truncate -s "${size}M" "$image"
head -c $((size * 3 / 4))M /dev/urandom | dd of="$image" bs=1M seek=$((size / 8)) conv=notrunc status=none
printf 'label: gpt\nstart=2048, size=65536, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\nstart=67584, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' \
  | sfdisk --quiet "$image"
mkfs.ext4 -q -F -E offset=$((67584 * 512)) "$image" 64M

echo "metalforge footprint: java -jar with the default heap, $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s RSS %5s MiB\n' start "$rss_start"
peaks=()
m=$(mark); python3 "$here/maas_upload.py" 127.0.0.1 "$port" "$key" "$image" fp-v2 ddraw ubuntu/noble >/dev/null
p=$(peak_since "$m"); peaks+=("$p"); printf '%-10s peak RSS %5s MiB\n' upload-v2 "$p"
# different content for v3, so it is not deduplicated against v2
printf '\x5a' | dd of="$image" bs=1 seek=$((size * 1048576 - 1)) conv=notrunc status=none
m=$(mark); V3=1 python3 "$here/maas_upload.py" 127.0.0.1 "$port" "$key" "$image" fp-v3 ddraw ubuntu/noble >/dev/null
p=$(peak_since "$m"); peaks+=("$p"); printf '%-10s peak RSS %5s MiB\n' upload-v3 "$p"
IFS=: read -r MF_CK MF_TK MF_SECRET <<<"$key"
export MF_CK MF_TK MF_SECRET MF_PATH=/MAAS/api/2.0/boot-resources/
m=$(mark); out=$(wrk -t2 -c64 -d"${secs}s" -s "$here/api-sign.lua" "http://127.0.0.1:$port" 2>&1)
p=$(peak_since "$m"); peaks+=("$p")
printf '%-10s peak RSS %5s MiB   (%s req/s)\n' reads "$p" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
jcmd "$app" GC.run >/dev/null
live=$(jcmd "$app" GC.heap_info | awk '/garbage-first heap/ {for (i=1;i<=NF;i++) if ($i=="used") print int($(i+1)/1024)}')
max=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
echo "SUMMARY footprint RSS ${rss_start} MiB after start, peak ${max} MiB under load (target <= 512 MB = 488 MiB), live heap after full GC ${live:-?} MiB"
