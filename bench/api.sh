#!/usr/bin/env bash
# Authenticated MAAS API GET throughput and latency with 64 concurrent connections on loopback, against a static
# file served by the same Jetty in the same run as the reference.
#   bench/api.sh [SECONDS]        (default 10 s per measurement; needs wrk: apt-get install -y wrk)
# It starts distribution/target/metalforge.jar in a scratch folder on a free port, creates an administrator with
# bin/metalforge-admin, then runs wrk (2 threads, 64 connections):
#   API:       GET /MAAS/api/2.0/users/?op=whoami, every request signed with a fresh nonce (bench/api-sign.lua),
#              so each one does the full OAuth check: key lookup, signature, nonce insert, whoami query;
#   reference: GET /MAAS/static/hello.txt (a 120-byte file from the http bundle, Felix's resource servlet).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
secs=${1:-10}
jar=${METALFORGE_JAR:-$root/distribution/target/metalforge.jar}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
[ -f "$jar" ] || { echo "$jar not found: mvn -B package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo 5299)
cd "$work"
java -Dorg.osgi.service.http.port="$port" -Dgosh.args=--nointeractive -jar "$jar" </dev/null >app.log 2>&1 &
app=$!
cleanup() { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  grep -q "metalforge ready" app.log && break
  sleep 0.5
done
grep -q "metalforge ready" app.log || { cat app.log >&2; echo "appliance did not start" >&2; exit 1; }

key=$(METALFORGE_JAR="$jar" "$root/bin/metalforge-admin" createadmin bench | tail -1)
IFS=: read -r MF_CK MF_TK MF_SECRET <<<"$key"
export MF_CK MF_TK MF_SECRET MF_PATH=/MAAS/api/2.0/users/?op=whoami
base=http://127.0.0.1:$port

# Warm up both paths: the first requests load (and SPI Fly weaves) Jetty's classes, which takes seconds on a busy
# machine; measure only once both answer quickly.
for _ in 1 2 3; do
  wrk -t2 -c8 -d5s --timeout 20s -s "$here/api-sign.lua" "$base" >/dev/null
  wrk -t2 -c8 -d5s --timeout 20s "$base/MAAS/static/hello.txt" >/dev/null
  wrk -t2 -c64 -d3s --timeout 20s -s "$here/api-sign.lua" "$base" | grep -q "Requests/sec: *[1-9]" && break
done
wrk -t2 -c64 -d3s --timeout 20s "$base/MAAS/static/hello.txt" >/dev/null

run() { # label, wrk args...
  local label=$1; shift
  local out; out=$(wrk -t2 -c64 -d"${secs}s" --timeout 10s --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}" >&2
  [ -z "$errors" ] || { echo "$out" >&2; echo "requests failed" >&2; exit 1; }
  grep -q "Socket errors" <<<"$out" && echo "  $(grep 'Socket errors' <<<"$out")" >&2
  awk -v r="$rps" 'BEGIN {exit !(r > 0)}' || { echo "$out" >&2; echo "no request completed" >&2; exit 1; }
  echo "$rps"
}
echo "metalforge API benchmark: wrk -t2 -c64 -d${secs}s, loopback, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
api=$(run "signed GET users/?op=whoami" -s "$here/api-sign.lua" "$base")
static=$(run "static GET /MAAS/static/hello.txt" "$base/MAAS/static/hello.txt")
python3 -c "print('API / static throughput ratio: %.2f' % ($api / $static))" 2>/dev/null \
  || echo "API / static throughput ratio: $(awk -v a="$api" -v s="$static" 'BEGIN {printf "%.2f", a / s}')"
