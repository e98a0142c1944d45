#!/usr/bin/env bash
# Uploads a ~4 GiB raw disk image through the MAAS API on loopback to the distribution running with -Xmx256m, with
# the maas CLI's request flow (bench/maas_upload.py), against the physical limit measured in the same run on the
# same file: `sha256sum` plus a copy to the same disk (cp, then sync of the copy).
# Usage: bench/upload-vs-copy.sh [size in MiB, default 4096]   (WORK=<dir> for the scratch folder)
# Needs: a built distribution (mvn -B -q package -DskipTests), python3, sfdisk (fdisk), mkfs.ext4 (e2fsprogs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MB=${1:-4096}
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
read -r sha_s cp_s <<< "$(reference)"
echo "reference: sha256sum ${sha_s}s + copy ${cp_s}s" >&2

# the platform, with -Xmx256m, its own data folder and a free port
SERVER=$WORK/server
rm -rf "$SERVER"; mkdir -p "$SERVER/deploy"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "org.osgi.service.http.port=$PORT" > "$SERVER/deploy/org.apache.felix.http.cfg"
# nothing is synced here, so accept amd64/generic uploads as an air-gapped site would
printf 'additional_architectures=["amd64/generic"]\n' > "$SERVER/deploy/io.metalforge.catalog.upload.config"
mkfifo "$SERVER/console"
(cd "$SERVER" && exec java -Xmx256m -jar "$ROOT/distribution/target/metalforge.jar" < console > server.log 2>&1) &
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

RESULT=$(python3 "$ROOT/bench/maas_upload.py" 127.0.0.1 "$PORT" "$KEY" "$IMAGE" bench-disk ddraw ubuntu/noble)
echo "upload: $RESULT" >&2
up_s=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["upload_seconds"])' "$RESULT")
grep -q OutOfMemoryError "$SERVER/server.log" && { echo "OutOfMemoryError in the server log" >&2; exit 1; }

read -r sha2_s cp2_s <<< "$(reference)"
echo "reference again: sha256sum ${sha2_s}s + copy ${cp2_s}s" >&2
ref_s=$(echo "r1=$sha_s + $cp_s; r2=$sha2_s + $cp2_s; if (r1 < r2) r1 else r2" | bc -l)
printf 'file: %d bytes\nreference (sha256sum + cp + sync, best of 2): %.2f s (%.0f MB/s)\nupload through the API (-Xmx256m): %.2f s (%.0f MB/s)\nratio (reference time / upload time): %.2f\n' \
  "$BYTES" "$ref_s" "$(echo "$BYTES / $ref_s / 1000000" | bc -l)" "$up_s" "$(echo "$BYTES / $up_s / 1000000" | bc -l)" \
  "$(echo "$ref_s / $up_s" | bc -l)"
