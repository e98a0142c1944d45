#!/usr/bin/env bash
# Image sync throughput against the physical limit, measured in the same run on the same files.
#
# Generates a signed SimpleStreams mirror (default 1536 MiB in 12 files; Java generator + real gpg), serves it
# with nginx on loopback, then
#   reference: curl fetches every payload file from that nginx in parallel (PARALLEL at a time) to the same disk
#              and sha256sum hashes each one, as the sync does;
#   sync:      Metalforge's sync engine (index + product list signature checks, parallel ranged downloads,
#              sha256 + size verification, blob store publication) into an empty store.
# Prints both rates and the ratio (target >= 0.8).
#
# Usage: bench/sync.sh [TOTAL_MIB] [PARALLEL]        Needs: nginx, gpg, curl, coreutils, maven, JDK 17.
# WORK=DIR reuses the mirror generated there earlier; KEEP=1 keeps WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL_MIB=${1:-1536}
PARALLEL=${2:-4}
PORT=${PORT:-18731}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/var/tmp}/metalforge-sync-bench.XXXXXX")}
for tool in nginx gpg curl sha256sum mvn java; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nginx gnupg curl maven)" >&2; exit 2; }
done
MODULE=bundles/io.metalforge.simplestreams
chmod 755 "$WORK"   # nginx workers must read the mirror

echo "== build"
# one reactor run: the module's class path then points at the sibling bundles built here (api, store.fs, catalog)
mvn -B -q -o package dependency:build-classpath -DskipTests -pl "$MODULE" -am -Dmdep.outputFile="$WORK/cp.txt" \
  >/dev/null 2>&1 || mvn -B -q package dependency:build-classpath -DskipTests -pl "$MODULE" -am \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$MODULE/target/test-classes:$MODULE/target/classes:bundles/io.metalforge.api/target/classes:$(cat "$WORK/cp.txt")"

if [ -d "$WORK/gen/mirror" ]; then
  echo "== reusing the mirror in $WORK/gen"
else
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
worker_processes 4;
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
trap 'nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT/"
# warm the page cache of the source files once so neither run pays for reading them from disk
cat "${FILES[@]/#/$MIRROR/}" >/dev/null

now() { date +%s.%N; }

echo "== reference: curl x$PARALLEL + sha256sum"
REF="$WORK/ref"; rm -rf "$REF"; mkdir -p "$REF"; sync
t0=$(now)
printf '%s\n' "${FILES[@]}" | xargs -P "$PARALLEL" -I{} sh -c \
  'out="$1/$(echo "$2" | tr / _)"; curl -sf -o "$out" "$3$2" && sha256sum "$out" >/dev/null' _ "$REF" {} "$URL"
t1=$(now)
REF_S=$(awk "BEGIN{print $t1 - $t0}")
rm -rf "$REF"; sync

echo "== sync: Metalforge x$PARALLEL into an empty store"
DATA="$WORK/data"; rm -rf "$DATA"
t0=$(now)
java -cp "$CP" io.metalforge.simplestreams.internal.SyncMain "$URL" "$WORK/gen/keyring.gpg" "$DATA" "$PARALLEL" \
  ubuntu/focal,ubuntu/jammy,ubuntu/noble,ubuntu/plucky | tee "$WORK/sync.out"
t1=$(now)
# the sync as the running service does it: from reading the index to the last set published (no JVM start)
INNER_S=$(sed -n 's/.* seconds=\([0-9.]*\) .*/\1/p' "$WORK/sync.out")
SYNC_S=$(awk "BEGIN{print $t1 - $t0}")
STORED=$(find "$DATA/blobs" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l)
[ "$STORED" -eq "${#FILES[@]}" ] || { echo "sync stored $STORED of ${#FILES[@]} files" >&2; exit 1; }
rm -rf "$DATA"

REF_MBS=$(awk "BEGIN{print $BYTES / $REF_S / 1000000}")
SYNC_MBS=$(awk "BEGIN{print $BYTES / $SYNC_S / 1000000}")
printf '\nfiles=%d bytes=%d parallel=%d\n' "${#FILES[@]}" "$BYTES" "$PARALLEL"
printf 'reference (curl + sha256sum):          %6.2f s  %7.1f MB/s\n' "$REF_S" "$REF_MBS"
INNER_MBS=$(awk "BEGIN{print $BYTES / $INNER_S / 1000000}")
printf 'metalforge sync, in the service:       %6.2f s  %7.1f MB/s  ratio %.2f (target >= 0.80)\n' \
  "$INNER_S" "$INNER_MBS" "$(awk "BEGIN{print $INNER_MBS / $REF_MBS}")"
printf 'metalforge sync, JVM start included:   %6.2f s  %7.1f MB/s  ratio %.2f\n' \
  "$SYNC_S" "$SYNC_MBS" "$(awk "BEGIN{print $SYNC_MBS / $REF_MBS}")"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop 2>/dev/null || true
trap - EXIT
[ -n "${KEEP:-}" ] || rm -rf "$WORK"
