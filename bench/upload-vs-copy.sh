#!/usr/bin/env bash
# Uploads a ~4 GiB raw disk image through the MAAS API on loopback to the distribution running with -Xmx256m, with
# the maas CLI's request flow (v2: create POST, then 4 MiB PUTs; bench/maas_upload.py) and with MAAS v3's single
# request (POST /MAAS/a/v3/custom_images), against the physical limit measured in the same run on the same file:
# `sha256sum` plus a copy to the same disk (cp, then sync of the copy). Order: reference, v2, reference, v3; each
# upload is compared with the reference just before it. The server's GC log counts humongous allocations (a G1
# humongous object is at least half a region: 512 KiB at this heap size), which the upload path should not make.
# With PAIRS=N (default 1) the four runs repeat N times (each upload deleted through the API after its pair, every
# upload with content of its own) and the script prints the medians and one SUMMARY line.
# Usage: bench/upload-vs-copy.sh [size in MiB, default 4096]   (WORK=<dir> for the scratch folder, PAIRS=N,
#        UPLOAD_JAVA_OPTS=<more JVM options for the server>, a JFR recording say)
# Needs: a built distribution (mvn -B -q package -DskipTests), python3, sfdisk (fdisk), mkfs.ext4 (e2fsprogs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MB=${1:-4096}
PAIRS=${PAIRS:-1}
WORK=${WORK:-$(mktemp -d)}
IMAGE=$WORK/disk.img
mkdir -p "$WORK"

if [ ! -f "$IMAGE" ]; then
  echo "building a ${SIZE_MB} MiB disk image in $WORK ..." >&2
  head -c "${SIZE_MB}M" /dev/urandom > "$IMAGE"
  printf 'label: gpt\nstart=2048, size=1048576, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\nstart=1050624, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' \
    | sfdisk --quiet "$IMAGE"
  mkfs.ext4 -q -F -E offset=$((1050624 * 512)) "$IMAGE" 256M
fi
BYTES=$(stat -c %s "$IMAGE")

reference() {
  rm -f "$WORK/copy.img"
  local t0 t1 t2
  t0=$(date +%s.%N); sha256sum "$IMAGE" > /dev/null; t1=$(date +%s.%N)
  cp "$IMAGE" "$WORK/copy.img"; sync "$WORK/copy.img"; t2=$(date +%s.%N)
  rm -f "$WORK/copy.img"
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$t2 - $t1" | bc -l)"
}

cat "$IMAGE" > /dev/null
# the platform, with -Xmx256m, its own data folder and a free port
SERVER=$WORK/server
rm -rf "$SERVER"; mkdir -p "$SERVER/deploy"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "org.osgi.service.http.port=$PORT" > "$SERVER/deploy/org.apache.felix.http.cfg"
# nothing is synced here, so accept amd64/generic uploads as an air-gapped site would
printf 'additional_architectures=["amd64/generic"]\n' > "$SERVER/deploy/io.metalforge.catalog.upload.config"
mkfifo "$SERVER/console"
# shellcheck disable=SC2086 # UPLOAD_JAVA_OPTS holds several options (a profiler, say)
(cd "$SERVER" && exec java -Xmx256m -Xlog:gc:file=gc.log ${UPLOAD_JAVA_OPTS:-} -jar "$ROOT/distribution/target/metalforge.jar" < console > server.log 2>&1) &
JAVA_PID=$!
exec 3> "$SERVER/console"
trap 'echo "stop 0" >&3 2>/dev/null || true; sleep 2; kill $JAVA_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "metalforge ready" "$SERVER/server.log" 2>/dev/null && break; sleep 1; done
echo "metalforge:createadmin bench" >&3
for _ in $(seq 1 30); do grep -q "^[A-Za-z0-9]*:[A-Za-z0-9]*:[A-Za-z0-9]*$" "$SERVER/server.log" && break; sleep 1; done
KEY=$(grep -o "^[A-Za-z0-9]*:[A-Za-z0-9]*:[A-Za-z0-9]*$" "$SERVER/server.log" | head -1)
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/MAAS/api/2.0/describe/" && break; sleep 1
done

upload() { # V3 flag, name -> seconds
  local result
  result=$(V3=$1 python3 "$ROOT/bench/maas_upload.py" 127.0.0.1 "$PORT" "$KEY" "$IMAGE" "$2" ddraw ubuntu/noble)
  echo "upload ($2): $result" >&2
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])["upload_seconds"])' "$result"
}
humongous() { grep -c "Humongous" "$SERVER/gc.log" || true; }
ref_time() { read -r a b <<< "$(reference)"; echo "reference: sha256sum ${a}s + copy ${b}s" >&2; echo "$a + $b" | bc -l; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mbs() { echo "$BYTES / $1 / 1000000" | bc -l; }
REF1=(); V2=(); REF2=(); V3=(); Q2=(); Q3=(); HUM=0
mark=0
for pair in $(seq 1 "$PAIRS"); do
  # every upload gets content of its own (the last byte, in the unused tail of the image), so none is deduplicated
  # against an earlier one
  mark=$((mark + 1)); printf "\\x$(printf %02x $((mark % 256)))" | dd of="$IMAGE" bs=1 seek=$((BYTES - 1)) conv=notrunc status=none
  ref1=$(ref_time)
  h0=$(humongous)
  v2=$(upload "" bench-v2)
  h2=$(humongous)
  mark=$((mark + 1)); printf "\\x$(printf %02x $((mark % 256)))" | dd of="$IMAGE" bs=1 seek=$((BYTES - 1)) conv=notrunc status=none
  ref2=$(ref_time)
  v3=$(upload 1 bench-v3)
  h3=$(humongous)
  grep -q OutOfMemoryError "$SERVER/server.log" && { echo "OutOfMemoryError in the server log" >&2; exit 1; }
  python3 "$ROOT/bench/maas_upload.py" 127.0.0.1 "$PORT" "$KEY" --delete bench-v2
  python3 "$ROOT/bench/maas_upload.py" 127.0.0.1 "$PORT" "$KEY" --delete bench-v3
  REF1+=("$ref1"); V2+=("$v2"); REF2+=("$ref2"); V3+=("$v3")
  Q2+=("$(echo "$ref1 / $v2" | bc -l)"); Q3+=("$(echo "$ref2 / $v3" | bc -l)"); HUM=$((HUM + h3 - h0))
  echo "upload pair $pair of $PAIRS, load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '  reference (sha256sum + cp + sync) A1: %7.2f s %6.0f MB/s\n' "$ref1" "$(mbs "$ref1")"
  printf '  v2 chunked (4 MiB PUTs)           B1: %7.2f s %6.0f MB/s   ratio %.2f (target >= 0.9)   humongous GCs %d\n' \
    "$v2" "$(mbs "$v2")" "${Q2[-1]}" "$((h2 - h0))"
  printf '  reference (sha256sum + cp + sync) A2: %7.2f s %6.0f MB/s\n' "$ref2" "$(mbs "$ref2")"
  printf '  v3 single request                 B2: %7.2f s %6.0f MB/s   ratio %.2f (target >= 1.0)   humongous GCs %d\n' \
    "$v3" "$(mbs "$v3")" "${Q3[-1]}" "$((h3 - h2))"
done

echo "upload benchmark: $BYTES bytes, -Xmx256m, medians of $PAIRS pair(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  reference (sha256sum + cp + sync): %7.2f s %6.0f MB/s\n' "$(median "${REF1[@]}" "${REF2[@]}")" \
  "$(mbs "$(median "${REF1[@]}" "${REF2[@]}")")"
printf '  v2 chunked (4 MiB PUTs):           %7.2f s %6.0f MB/s   ratio %.2f (target >= 0.9)\n' "$(median "${V2[@]}")" \
  "$(mbs "$(median "${V2[@]}")")" "$(median "${Q2[@]}")"
printf '  v3 single request:                 %7.2f s %6.0f MB/s   ratio %.2f (target >= 1.0)\n' "$(median "${V3[@]}")" \
  "$(mbs "$(median "${V3[@]}")")" "$(median "${Q3[@]}")"
printf 'SUMMARY upload (%d MiB, %d pair(s), load %s): v2 %.0f MB/s ratio %.2f (>= 0.9), v3 %.0f MB/s ratio %.2f (>= 1.0), reference %.0f MB/s, humongous GCs %d\n' \
  "$((BYTES >> 20))" "$PAIRS" "$(cut -d' ' -f1 /proc/loadavg)" "$(mbs "$(median "${V2[@]}")")" "$(median "${Q2[@]}")" \
  "$(mbs "$(median "${V3[@]}")")" "$(median "${Q3[@]}")" "$(mbs "$(median "${REF1[@]}" "${REF2[@]}")")" "$HUM"
