#!/usr/bin/env bash
# Image sync through the running service's API, paired in the same run with the physical limit and (optionally)
# with Python simplestreams' sstream-mirror, on the same files from the same nginx.
#
# Generates a signed SimpleStreams mirror (default 1536 MiB in 12 files: 4 Ubuntu products; Java generator + real
# gpg), serves it with nginx on loopback, starts distribution/target/metalforge.jar in a scratch folder (its boot
# source is that mirror, no automatic import), creates an administrator, selects the four products through the
# MAAS API, then measures, A B A B:
#   reference:     curl … | tee FILE | sha256sum for every payload file, PARALLEL at a time (hash while downloading,
#                  as the sync does), into the same disk;
#   sync, fresh:   POST boot-resources/?op=import on the freshly started JVM, timed until is_importing is false;
#   sync, warmed:  the same again after the selections were removed and the store emptied by an import, so the JVM
#                  has run one import already;
#   sstream-mirror: only when SSTREAM_MIRROR names the sstream-mirror program (Python simplestreams is not packaged
#                  in Debian; without it the script says the pairing is skipped).
# CPU seconds: the service's (utime + stime of its JVM over the import), the reference's and sstream-mirror's
# (getrusage of their processes); nginx is left out of both. Every measure prints one summary line with its ratio.
#
# Usage: bench/sync.sh [TOTAL_MIB] [PARALLEL]   (PARALLEL of the reference; default: the sync's own, one per core,
#        2 to 8). Needs nginx, gpg, curl, coreutils, maven, JDK 17 and a built distribution
#        (mvn -B -q package -DskipTests). WORK=DIR reuses the mirror generated there earlier; KEEP=1 keeps WORK;
#        SYNC_PARALLEL=N sets the service's parallel_downloads (default 0: one per core, 2 to 8).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOTAL_MIB=${1:-1536}
CORES=$(nproc)
AUTO=$(( CORES < 2 ? 2 : (CORES > 8 ? 8 : CORES) ))
PARALLEL=${2:-$AUTO}
PORT=${PORT:-18731}
JAR=${METALFORGE_JAR:-$ROOT/distribution/target/metalforge.jar}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/var/tmp}/metalforge-sync-bench.XXXXXX")}
for tool in nginx gpg curl sha256sum mvn java python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nginx gnupg curl maven)" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "$JAR not found: mvn -B -q package -DskipTests" >&2; exit 2; }
MODULE=bundles/io.metalforge.simplestreams
chmod 755 "$WORK"   # nginx workers must read the mirror

if [ -d "$WORK/gen/mirror" ]; then
  echo "== reusing the mirror in $WORK/gen"
else
  echo "== build the mirror generator"
  mvn -B -q -o test-compile dependency:build-classpath -pl "$MODULE" -am -Dmdep.outputFile="$WORK/cp.txt" \
    >/dev/null 2>&1 || mvn -B -q test-compile dependency:build-classpath -pl "$MODULE" -am \
    -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
  CP="$MODULE/target/test-classes:$MODULE/target/classes:bundles/io.metalforge.api/target/classes:$(cat "$WORK/cp.txt")"
  echo "== generate ${TOTAL_MIB} MiB signed mirror in $WORK"
  java -cp "$CP" io.metalforge.simplestreams.internal.BenchMirror "$WORK/gen" "$TOTAL_MIB" >/dev/null
fi
MIRROR="$WORK/gen/mirror"
mapfile -t FILES < <(cd "$MIRROR" && find . -type f ! -path './streams/*' ! -name '*.manifest' ! -name 'boot-dtb' | sed 's|^\./||' | sort)
BYTES=$(cd "$MIRROR" && du -cb "${FILES[@]}" | tail -1 | cut -f1)
echo "   ${#FILES[@]} payload files, $BYTES bytes"

echo "== nginx on 127.0.0.1:$PORT"
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  server { listen 127.0.0.1:$PORT; root $MIRROR; }
}
CONF
chmod -R a+rX "$WORK/gen/mirror"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
URL="http://127.0.0.1:$PORT/"
APP=""
cleanup() {
  [ -z "$APP" ] || { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; }
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
# warm the page cache of the source files once so no run pays for reading them from disk
cat "${FILES[@]/#/$MIRROR/}" >/dev/null

now() { date +%s.%N; }
# CPU seconds (user + system) of a process so far, from /proc/PID/stat
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

# one file of the reference: download, write and hash in one pass
cat >"$WORK/fetch-one.sh" <<'ONE'
#!/bin/sh
curl -sf "$2$1" | tee "$3/$(echo "$1" | tr / _)" | sha256sum >/dev/null
ONE
chmod +x "$WORK/fetch-one.sh"
reference() { # prints "seconds cpu_seconds"
  local ref="$WORK/ref"; rm -rf "$ref"; mkdir -p "$ref"; sync
  printf '%s\n' "${FILES[@]}" | /usr/bin/time -f '%e %U %S' -o "$WORK/ref.time" \
    xargs -P "$PARALLEL" -I{} "$WORK/fetch-one.sh" {} "$URL" "$ref"
  local n; n=$(find "$ref" -type f | wc -l)
  [ "$n" -eq "${#FILES[@]}" ] || { echo "reference fetched $n of ${#FILES[@]} files" >&2; exit 1; }
  rm -rf "$ref"; sync
  awk '{print $1, $2 + $3}' "$WORK/ref.time"
}

echo "== the service on a free port, boot source = the bench mirror"
SERVER="$WORK/server"; rm -rf "$SERVER"; mkdir -p "$SERVER/deploy"
APORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$SERVER/deploy/io.metalforge.simplestreams.cfg" <<CFG
auto_import=false
parallel_downloads=${SYNC_PARALLEL:-0}
default_source_url=$URL
default_keyring=$WORK/gen/keyring.gpg
CFG
(cd "$SERVER" && exec java -Dorg.osgi.service.http.port="$APORT" -Dgosh.args=--nointeractive -jar "$JAR" \
  </dev/null >app.log 2>&1) &
APP=$!
for _ in $(seq 1 240); do grep -q "metalforge ready" "$SERVER/app.log" 2>/dev/null && break; sleep 0.5; done
grep -q "metalforge ready" "$SERVER/app.log" || { cat "$SERVER/app.log" >&2; echo "the service did not start" >&2; exit 1; }
KEY=$(cd "$SERVER" && METALFORGE_JAR="$JAR" "$ROOT/bin/metalforge-admin" createadmin bench | tail -1)
IFS=: read -r CK TK SECRET <<<"$KEY"
BASE="http://127.0.0.1:$APORT/MAAS/api/2.0"
api() { # METHOD PATH [curl args]: one request signed as the maas CLI signs it (OAuth 1.0a PLAINTEXT)
  local method=$1 path=$2; shift 2
  curl -sf -X "$method" "$BASE/$path" "$@" -H "Authorization: OAuth oauth_nonce=\"$(date +%s%N)$RANDOM\", \
oauth_timestamp=\"$(date +%s)\", oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", \
oauth_consumer_key=\"$CK\", oauth_token=\"$TK\", oauth_signature=\"%26$SECRET\""
}
for _ in $(seq 1 60); do api GET boot-sources/ >/dev/null 2>&1 && break; sleep 1; done
SOURCE=$(api GET boot-sources/ | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
# the source created at installation points at the bench mirror (also when the .cfg came after the first start)
api PUT "boot-sources/$SOURCE/" -F "url=$URL" -F "keyring_filename=$WORK/gen/keyring.gpg" >/dev/null
select_all() {
  local have; have=$(api GET "boot-sources/$SOURCE/selections/")
  for rel in focal jammy noble plucky; do
    grep -q "\"release\": *\"$rel\"" <<<"$have" || api POST "boot-sources/$SOURCE/selections/" -F os=ubuntu \
      -F "release=$rel" -F arches=amd64 -F 'subarches=*' -F 'labels=*' >/dev/null
  done
}
unselect_all() {
  api GET "boot-sources/$SOURCE/selections/" | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)]' \
    | while read -r id; do api DELETE "boot-sources/$SOURCE/selections/$id/" >/dev/null; done
}
import_now() { # prints "seconds cpu_seconds" of one import through the API
  local t0 c0 t1 c1
  c0=$(cpu_of "$APP"); t0=$(now)
  api POST 'boot-resources/?op=import' >/dev/null
  while [ "$(api GET 'boot-resources/?op=is_importing')" = true ]; do sleep 0.1; done
  t1=$(now); c1=$(cpu_of "$APP")
  echo "$(awk "BEGIN{print $t1 - $t0}") $(awk "BEGIN{print $c1 - $c0}")"
}
stored() { find "$SERVER/var/blobs" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l; }

select_all
echo "== A: reference x$PARALLEL (curl | tee | sha256sum)"; read -r REF1_S REF1_CPU <<<"$(reference)"
echo "== B: sync, fresh JVM"; read -r FRESH_S FRESH_CPU <<<"$(import_now)"
[ "$(stored)" -ge "${#FILES[@]}" ] || { echo "the import stored $(stored) of ${#FILES[@]} files" >&2; tail -20 "$SERVER/app.log" >&2; exit 1; }
unselect_all; import_now >/dev/null   # the store is emptied: the next import downloads everything again
[ "$(stored)" -eq 0 ] || { echo "$(stored) blobs left after removing every selection" >&2; exit 1; }
select_all
echo "== A: reference x$PARALLEL"; read -r REF2_S REF2_CPU <<<"$(reference)"
echo "== B: sync, warmed JVM"; read -r WARM_S WARM_CPU <<<"$(import_now)"
[ "$(stored)" -ge "${#FILES[@]}" ] || { echo "the warm import stored $(stored) of ${#FILES[@]} files" >&2; exit 1; }

SST=""
if [ -n "${SSTREAM_MIRROR:-}" ]; then
  echo "== sstream-mirror ($SSTREAM_MIRROR)"
  rm -rf "$WORK/sst"; sync
  /usr/bin/time -f '%e %U %S' -o "$WORK/sst.time" "$SSTREAM_MIRROR" --keyring="$WORK/gen/keyring.gpg" \
    "${URL}streams/v1/index.sjson" "$WORK/sst" >/dev/null 2>&1
  read -r SST_S SST_CPU <<<"$(awk '{print $1, $2 + $3}' "$WORK/sst.time")"
  rm -rf "$WORK/sst"; SST=1
fi

GIB=$(awk "BEGIN{print $BYTES / 1073741824}")
line() { # label seconds cpu reference_seconds reference_label
  printf '%-34s %7.2f s %7.1f MB/s %6.2f CPU s/GiB   ratio %.2f vs %s\n' "$1" "$2" \
    "$(awk "BEGIN{print $BYTES / $2 / 1e6}")" "$(awk "BEGIN{print $3 / $GIB}")" "$(awk "BEGIN{print $4 / $2}")" "$5"
}
echo
echo "sync benchmark: ${#FILES[@]} files, $BYTES bytes, reference x$PARALLEL, $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
line "reference (curl|tee|sha256sum) A1" "$REF1_S" "$REF1_CPU" "$REF1_S" "itself"
line "reference (curl|tee|sha256sum) A2" "$REF2_S" "$REF2_CPU" "$REF2_S" "itself"
line "metalforge sync, fresh JVM" "$FRESH_S" "$FRESH_CPU" "$REF1_S" "reference A1 (target >= 0.8)"
line "metalforge sync, warmed JVM" "$WARM_S" "$WARM_CPU" "$REF2_S" "reference A2 (target >= 0.8)"
if [ -n "$SST" ]; then
  line "sstream-mirror" "$SST_S" "$SST_CPU" "$SST_S" "itself"
  line "metalforge sync, fresh vs sstream" "$FRESH_S" "$FRESH_CPU" "$SST_S" "sstream-mirror (target >= 2.0)"
  line "metalforge sync, warm vs sstream" "$WARM_S" "$WARM_CPU" "$SST_S" "sstream-mirror (target >= 2.0)"
else
  echo "sstream-mirror: skipped (set SSTREAM_MIRROR to the sstream-mirror program of Python simplestreams to pair it)"
fi
