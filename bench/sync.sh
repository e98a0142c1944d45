#!/usr/bin/env bash
# Image sync through the running service's API, paired in the same run with the physical limit and with Python
# simplestreams' sstream-mirror, on the same files from the same nginx.
#
# Two measures, each on a signed SimpleStreams mirror generated here (Java generator + real gpg) and served by nginx
# on loopback:
#   bulk:  TOTAL_MIB (default 1536) in 12 payload files: 4 Ubuntu products × kernel, initrd, squashfs;
#   small: SMALL_FILES (default 201) files of 1 MiB each: 67 products of one release under subarches of their own,
#          so what a sync spends per file (requests, fsync, catalog publication) counts rather than per byte.
# Every pair starts distribution/target/metalforge.jar in a fresh scratch folder (its boot source is the mirror, no
# automatic import), creates an administrator, selects every product through the MAAS API, then measures:
#   reference A1:  curl … | tee FILE | sha256sum for every payload file, PARALLEL at a time (hash while downloading,
#                  as the sync does), into the same disk;
#   sync, fresh:   POST boot-resources/?op=import on the freshly started JVM, timed until is_importing is false;
#   sstream-mirror: the same files (--max=1, filters arch=amd64 and ftype~boot-kernel|boot-initrd|squashfs), its
#                  signatures checked with the mirror's keyring (gpgv), into the same disk; only when SSTREAM_MIRROR
#                  is set (see below);
#   reference A2, then sync, warmed: the same again after the selections were removed and the store emptied by an
#                  import, so the JVM has run one import already.
# CPU seconds: the service's (utime + stime of its JVM over the import), the reference's and sstream-mirror's
# (getrusage of their processes and children, gpgv included); nginx is left out of all. Each pair's ratios compare
# with the reference and sstream-mirror of the same pair; with PAIRS=N the script prints the median of N pairs of
# every figure, and one SUMMARY line per measure at the end.
#
# sstream-mirror is not packaged in Debian nor on PyPI reachable here; its source (Launchpad project
# "simplestreams", also mirrored on GitHub) runs as is with Debian's python3, python3-yaml, python3-requests and
# gpgv: unpack it to a folder DIR and set
#   SSTREAM_MIRROR="env PYTHONPATH=DIR /usr/bin/python3 DIR/bin/sstream-mirror"
# (a command line: the words are passed as they are, so DIR must not contain spaces). Without it the script says the
# pairing is skipped.
#
# Usage: bench/sync.sh [TOTAL_MIB] [PARALLEL]   (PARALLEL of the reference; default: the sync's own, one per core,
#        2 to 8). Environment: PAIRS=N (default 1), MEASURES="bulk small" (default both), SMALL_FILES=N (a multiple
#        of 3), WORK=DIR reuses the mirrors generated there earlier, KEEP=1 keeps WORK, SYNC_PARALLEL=N sets the
#        service's parallel_downloads (default 0: one per core, 2 to 8), SYNC_JAVA_OPTS adds JVM options to the
#        service (a JFR recording, say), SSTREAM_MIRROR (above), SYNC_LAUNCHER (below).
# The service is started as the README's quick start runs it, by the appliance launcher bin/metalforge
# (SYNC_LAUNCHER=bin/metalforge, the default: its class-data archive next to the jar, -Xmx512m, later JIT thresholds),
# or with SYNC_LAUNCHER=java by `java -jar metalforge.jar` with the JDK's defaults; the script prints which, in every
# SUMMARY.
#        Needs nginx, gpg, curl, coreutils, maven, JDK 17 and a built distribution (mvn -B -q package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOTAL_MIB=${1:-1536}
CORES=$(nproc)
AUTO=$(( CORES < 2 ? 2 : (CORES > 8 ? 8 : CORES) ))
PARALLEL=${2:-$AUTO}
PAIRS=${PAIRS:-1}
MEASURES=${MEASURES:-bulk small}
SMALL_FILES=${SMALL_FILES:-201}
PORT=${PORT:-18731}
JAR=${METALFORGE_JAR:-$ROOT/distribution/target/metalforge.jar}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/var/tmp}/metalforge-sync-bench.XXXXXX")}
read -ra SST <<<"${SSTREAM_MIRROR:-}"
LAUNCHER=${SYNC_LAUNCHER:-bin/metalforge}
case $LAUNCHER in
  java) START=(java); START_JAR=(-jar "$JAR") ;;
  bin/metalforge) START=("$ROOT/bin/metalforge"); START_JAR=() ;;   # it adds -jar "$METALFORGE_JAR" itself
  *) echo "SYNC_LAUNCHER is java or bin/metalforge, not $LAUNCHER" >&2; exit 2 ;;
esac
for tool in nginx gpg curl sha256sum mvn java python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nginx gnupg curl maven)" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "$JAR not found: mvn -B -q package -DskipTests" >&2; exit 2; }
MODULE=bundles/io.metalforge.simplestreams
chmod 755 "$WORK"   # nginx workers must read the mirrors
if [ ${#SST[@]} -gt 0 ]; then
  "${SST[@]}" --help >/dev/null 2>&1 || { echo "SSTREAM_MIRROR ($SSTREAM_MIRROR) does not run" >&2; exit 2; }
fi

# ---- the mirrors: WORK/<measure>/mirror, keyring WORK/<measure>/keyring.gpg
generate() { # measure total_mib [files]
  [ -d "$WORK/$1/mirror" ] && { echo "== reusing the $1 mirror in $WORK/$1"; return; }
  if [ ! -f "$WORK/cp.txt" ]; then
    echo "== build the mirror generator"
    mvn -B -q -o test-compile dependency:build-classpath -pl "$MODULE" -am -Dmdep.outputFile="$WORK/cp.txt" \
      >/dev/null 2>&1 || mvn -B -q test-compile dependency:build-classpath -pl "$MODULE" -am \
      -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
  fi
  local cp="$MODULE/target/test-classes:$MODULE/target/classes:bundles/io.metalforge.api/target/classes:$(cat "$WORK/cp.txt")"
  echo "== generate the $1 mirror (${2} MiB${3:+ in $3 files}) in $WORK/$1"
  java -cp "$cp" io.metalforge.simplestreams.internal.BenchMirror "$WORK/$1" "$2" ${3:+"$3"} >/dev/null
  chmod -R a+rX "$WORK/$1"
}
for m in $MEASURES; do
  case $m in
    bulk) generate bulk "$TOTAL_MIB" ;;
    small) generate small "$SMALL_FILES" "$SMALL_FILES" ;;
    *) echo "unknown measure $m (bulk, small)" >&2; exit 2 ;;
  esac
done

echo "== the service is started by: $([ "$LAUNCHER" = java ] && echo "java -jar $JAR" || echo "$LAUNCHER ($JAR)")"
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
  server { listen 127.0.0.1:$PORT; root $WORK; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
APP=""
stop_service() {
  [ -z "$APP" ] || { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; }
  APP=""
}
cleanup() {
  stop_service
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop 2>/dev/null || true
  rm -rf "$WORK/server" "$WORK/ref" "$WORK/sst"
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# CPU seconds (user + system) of a process so far, from /proc/PID/stat
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# one file of the reference: download, write and hash in one pass
cat >"$WORK/fetch-one.sh" <<'ONE'
#!/bin/sh
curl -sf "$2$1" | tee "$3/$(echo "$1" | tr / _)" | sha256sum >/dev/null
ONE
chmod +x "$WORK/fetch-one.sh"

# ---- the measure being run: set by use_measure
MIRROR=""; URL=""; KEYRING=""; FILES=(); BYTES=0; RELEASES=()
use_measure() {
  MIRROR="$WORK/$1/mirror"; URL="http://127.0.0.1:$PORT/$1/mirror/"; KEYRING="$WORK/$1/keyring.gpg"
  mapfile -t FILES < <(cd "$MIRROR" && find . -type f ! -path './streams/*' ! -name '*.manifest' ! -name 'boot-dtb' \
    | sed 's|^\./||' | sort)
  BYTES=$(cd "$MIRROR" && du -cb "${FILES[@]}" | tail -1 | cut -f1)
  mapfile -t RELEASES < <(cd "$MIRROR" && find . -mindepth 1 -maxdepth 1 -type d ! -name streams | sed 's|^\./||' | sort)
  # warm the page cache of the source files once so no run pays for reading them from disk
  cat "${FILES[@]/#/$MIRROR/}" >/dev/null
}

reference() { # prints "seconds cpu_seconds"
  local ref="$WORK/ref"; rm -rf "$ref"; mkdir -p "$ref"; sync
  printf '%s\n' "${FILES[@]}" | /usr/bin/time -f '%e %U %S' -o "$WORK/ref.time" \
    xargs -P "$PARALLEL" -I{} "$WORK/fetch-one.sh" {} "$URL" "$ref"
  local n; n=$(find "$ref" -type f | wc -l)
  [ "$n" -eq "${#FILES[@]}" ] || { echo "reference fetched $n of ${#FILES[@]} files" >&2; exit 1; }
  rm -rf "$ref"; sync
  awk '{print $1, $2 + $3}' "$WORK/ref.time"
}

sstream() { # prints "seconds cpu_seconds"
  local out="$WORK/sst"; rm -rf "$out"; sync
  # what the sync's selections ask for: the newest version (--max=1) of amd64, the files MAAS boots from
  /usr/bin/time -f '%e %U %S' -o "$WORK/sst.time" "${SST[@]}" --max=1 --keyring="$KEYRING" \
    "${URL}streams/v1/index.sjson" "$out" 'arch=amd64' 'ftype~^(boot-kernel|boot-initrd|squashfs)$' >"$WORK/sst.log" 2>&1 \
    || { cat "$WORK/sst.log" >&2; echo "sstream-mirror failed" >&2; exit 1; }
  local n; n=$(find "$out" -type f ! -path '*/streams/*' ! -path '*/.data/*' | wc -l)
  [ "$n" -eq "${#FILES[@]}" ] || { cat "$WORK/sst.log" >&2; echo "sstream-mirror stored $n of ${#FILES[@]} files" >&2; exit 1; }
  rm -rf "$out"; sync
  awk '{print $1, $2 + $3}' "$WORK/sst.time"
}

# ---- the service: a fresh JVM and data folder per pair
SERVER="$WORK/server"; CK=""; TK=""; SECRET=""; BASE=""; SOURCE=""
api() { # METHOD PATH [curl args]: one request signed as the maas CLI signs it (OAuth 1.0a PLAINTEXT)
  local method=$1 path=$2; shift 2
  curl -sf -X "$method" "$BASE/$path" "$@" -H "Authorization: OAuth oauth_nonce=\"$(date +%s%N)$RANDOM\", \
oauth_timestamp=\"$(date +%s)\", oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", \
oauth_consumer_key=\"$CK\", oauth_token=\"$TK\", oauth_signature=\"%26$SECRET\""
}
start_service() {
  rm -rf "$SERVER"; mkdir -p "$SERVER/deploy"
  local aport
  aport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$SERVER/deploy/io.metalforge.simplestreams.cfg" <<CFG
auto_import=false
parallel_downloads=${SYNC_PARALLEL:-0}
default_source_url=$URL
default_keyring=$KEYRING
CFG
  # shellcheck disable=SC2086 # SYNC_JAVA_OPTS holds several options (a profiler, say)
  (cd "$SERVER" && METALFORGE_JAR="$JAR" exec "${START[@]}" ${SYNC_JAVA_OPTS:-} -Dorg.osgi.service.http.port="$aport" \
    -Dgosh.args=--nointeractive "${START_JAR[@]}" \
    </dev/null >app.log 2>&1) &
  APP=$!
  for _ in $(seq 1 240); do grep -q "metalforge ready" "$SERVER/app.log" 2>/dev/null && break; sleep 0.5; done
  grep -q "metalforge ready" "$SERVER/app.log" || { cat "$SERVER/app.log" >&2; echo "the service did not start" >&2; exit 1; }
  local key; key=$(cd "$SERVER" && METALFORGE_JAR="$JAR" "$ROOT/bin/metalforge-admin" createadmin bench | tail -1)
  IFS=: read -r CK TK SECRET <<<"$key"
  BASE="http://127.0.0.1:$aport/MAAS/api/2.0"
  for _ in $(seq 1 60); do api GET boot-sources/ >/dev/null 2>&1 && break; sleep 1; done
  SOURCE=$(api GET boot-sources/ | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  # the source created at installation points at the bench mirror (also when the .cfg came after the first start)
  api PUT "boot-sources/$SOURCE/" -F "url=$URL" -F "keyring_filename=$KEYRING" >/dev/null
}
select_all() {
  local have; have=$(api GET "boot-sources/$SOURCE/selections/")
  for rel in "${RELEASES[@]}"; do
    grep -q "\"release\": *\"$rel\"" <<<"$have" || api POST "boot-sources/$SOURCE/selections/" -F os=ubuntu \
      -F "release=$rel" -F arches=amd64 -F 'subarches=*' -F 'labels=*' >/dev/null
  done
}
unselect_all() {
  api GET "boot-sources/$SOURCE/selections/" | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)]' \
    | while read -r id; do api DELETE "boot-sources/$SOURCE/selections/$id/" >/dev/null; done
}
import_now() { # prints "seconds cpu_seconds" of one import through the API
  # One python3 client on one kept-alive connection: the clock starts as the POST is sent and stops at the first
  # is_importing that answers false, polled every 20 ms (a curl process per poll, 0.1 s apart, overshot the end by
  # 0.1-0.25 s under load). Every request is signed as the maas CLI signs it.
  local c0 c1 t
  c0=$(cpu_of "$APP")
  t=$(PYTHONPATH="$ROOT/bench" python3 - "$BASE" "$CK:$TK:$SECRET" <<'PY'
import http.client, sys, time, urllib.parse
from maas_upload import oauth
base, key = sys.argv[1:3]
url = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=3600)
def call(method, path):
    conn.request(method, url.path + '/' + path, headers={'Authorization': oauth(key)})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit('%s %s: %d %s' % (method, path, r.status, body[:200]))
    return body.strip()
call('GET', 'version/')  # connected before the clock starts
t0 = time.monotonic()
call('POST', 'boot-resources/?op=import')
while call('GET', 'boot-resources/?op=is_importing') == b'true':
    time.sleep(0.02)
print(time.monotonic() - t0)
PY
) || { echo "the import through the API failed" >&2; exit 1; }
  c1=$(cpu_of "$APP")
  echo "$t $(awk "BEGIN{print $c1 - $c0}")"
}
stored() { find "$SERVER/var/blobs" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l; }
check_stored() { # what
  [ "$(stored)" -ge "${#FILES[@]}" ] || { echo "the $1 stored $(stored) of ${#FILES[@]} files" >&2; tail -20 "$SERVER/app.log" >&2; exit 1; }
}

# ---- figures: one line per measure and pair, then medians
GIB=1
line() { # label seconds cpu [ratio against]
  printf '  %-36s %7.2f s %7.1f MB/s %6.2f CPU s/GiB%s\n' "$1" "$2" "$(awk "BEGIN{print $BYTES / $2 / 1e6}")" \
    "$(awk "BEGIN{print $3 / $GIB}")" "${4:+   ratio $4}"
}
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
mratio() { awk "BEGIN{printf \"%.2f\", $(median "$@")}"; }   # the median of ratios, two decimals
SUMMARY=()
for m in $MEASURES; do
  use_measure "$m"
  GIB=$(awk "BEGIN{print $BYTES / 1073741824}")
  echo "== measure $m: ${#FILES[@]} payload files, $BYTES bytes, releases ${RELEASES[*]}"
  R1=(); R1C=(); FR=(); FRC=(); S=(); SC=(); R2=(); R2C=(); WA=(); WAC=()
  Q_FR=(); Q_WA=(); Q_FS=(); Q_WS=()
  for pair in $(seq 1 "$PAIRS"); do
    echo "== $m pair $pair of $PAIRS: a fresh service"
    start_service
    select_all
    # (assignments first: a failing measure stops the script, which `read <<<"$(…)"` would not)
    out=$(reference); read -r r1 r1c <<<"$out"
    out=$(import_now); read -r fr frc <<<"$out"; check_stored "fresh import"
    if [ ${#SST[@]} -gt 0 ]; then out=$(sstream); read -r s sc <<<"$out"; S+=("$s"); SC+=("$sc"); fi
    unselect_all; import_now >/dev/null   # the store is emptied: the next import downloads everything again
    [ "$(stored)" -eq 0 ] || { echo "$(stored) blobs left after removing every selection" >&2; exit 1; }
    select_all
    out=$(reference); read -r r2 r2c <<<"$out"
    out=$(import_now); read -r wa wac <<<"$out"; check_stored "warm import"
    stop_service
    R1+=("$r1"); R1C+=("$r1c"); FR+=("$fr"); FRC+=("$frc"); R2+=("$r2"); R2C+=("$r2c"); WA+=("$wa"); WAC+=("$wac")
    Q_FR+=("$(ratio "$r1" "$fr")"); Q_WA+=("$(ratio "$r2" "$wa")")
    echo "$m pair $pair, load $(cut -d' ' -f1-3 /proc/loadavg):"
    line "reference A1 (curl|tee|sha256sum x$PARALLEL)" "$r1" "$r1c"
    line "metalforge sync, fresh JVM" "$fr" "$frc" "${Q_FR[-1]} vs A1"
    if [ ${#SST[@]} -gt 0 ]; then
      Q_FS+=("$(ratio "$s" "$fr")"); Q_WS+=("$(ratio "$s" "$wa")")
      line "sstream-mirror" "$s" "$sc"
      echo "    fresh sync vs sstream-mirror: ratio ${Q_FS[-1]} (target >= 2.0)"
    fi
    line "reference A2" "$r2" "$r2c"
    line "metalforge sync, warmed JVM" "$wa" "$wac" "${Q_WA[-1]} vs A2"
    [ ${#SST[@]} -eq 0 ] || echo "    warm sync vs sstream-mirror: ratio ${Q_WS[-1]} (target >= 2.0)"
  done
  echo
  echo "sync benchmark $m: ${#FILES[@]} files, $BYTES bytes, medians of $PAIRS pair(s), reference x$PARALLEL, $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  line "reference (curl|tee|sha256sum)" "$(median "${R1[@]}" "${R2[@]}")" "$(median "${R1C[@]}" "${R2C[@]}")"
  line "metalforge sync, fresh JVM" "$(median "${FR[@]}")" "$(median "${FRC[@]}")" "$(mratio "${Q_FR[@]}") vs reference"
  line "metalforge sync, warmed JVM" "$(median "${WA[@]}")" "$(median "${WAC[@]}")" "$(mratio "${Q_WA[@]}") vs reference"
  sum="SUMMARY sync $m (${#FILES[@]} files, $((BYTES >> 20)) MiB, $PAIRS pair(s), load $(cut -d' ' -f1 /proc/loadavg)"
  sum+=", started by $([ "$LAUNCHER" = java ] && echo "java -jar" || echo "$LAUNCHER")):"
  sum+=" fresh $(awk "BEGIN{printf \"%.0f\", $BYTES / $(median "${FR[@]}") / 1e6}") MB/s"
  sum+=" $(awk "BEGIN{printf \"%.2f\", $(median "${FRC[@]}") / $GIB}") CPU s/GiB,"
  sum+=" warm $(awk "BEGIN{printf \"%.0f\", $BYTES / $(median "${WA[@]}") / 1e6}") MB/s"
  sum+=" $(awk "BEGIN{printf \"%.2f\", $(median "${WAC[@]}") / $GIB}") CPU s/GiB;"
  sum+=" vs curl|tee|sha256sum fresh $(mratio "${Q_FR[@]}") warm $(mratio "${Q_WA[@]}")"
  if [ ${#SST[@]} -gt 0 ]; then
    line "sstream-mirror" "$(median "${S[@]}")" "$(median "${SC[@]}")"
    echo "  sync vs sstream-mirror (target >= 2.0): fresh $(mratio "${Q_FS[@]}"), warmed $(mratio "${Q_WS[@]}")"
    sum+="; vs sstream-mirror ($(awk "BEGIN{printf \"%.0f\", $BYTES / $(median "${S[@]}") / 1e6}") MB/s"
    sum+=" $(awk "BEGIN{printf \"%.2f\", $(median "${SC[@]}") / $GIB}") CPU s/GiB) fresh $(mratio "${Q_FS[@]}") warm $(mratio "${Q_WS[@]}")"
  else
    echo "  sstream-mirror: skipped (set SSTREAM_MIRROR to the sstream-mirror command line of Python simplestreams)"
    sum+="; sstream-mirror skipped"
  fi
  SUMMARY+=("$sum")
done
echo
printf '%s\n' "${SUMMARY[@]}"
