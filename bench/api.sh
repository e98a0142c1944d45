#!/usr/bin/env bash
# Signed MAAS API reads against nginx serving the same body, with 64 concurrent connections on loopback.
#   bench/api.sh [SECONDS]        (default 10 s per measurement, after WARMUP=20 s of signed requests; API_JAVA_OPTS
#                                  adds JVM options to metalforge's java, e.g. -XX:TieredStopAtLevel=1; needs wrk and
#                                  nginx: apt-get install -y wrk nginx,
#                                  sfdisk and mkfs.ext4 for the sample images, python3, a built distribution)
# It starts distribution/target/metalforge.jar in a scratch folder on a free port, creates an administrator with
# bin/metalforge-admin, uploads a few small custom images through the API (bench/maas_upload.py) so the catalogue
# is not empty, saves the body of GET boot-resources/ and serves exactly that body with nginx (one worker per core,
# access log off), then runs wrk (2 threads, 64 connections), A B A B:
#   API:       GET /MAAS/api/2.0/boot-resources/, every request signed by bench/api-sign.lua with a fresh nonce, so
#              each one pays the full OAuth check (key lookup, signature, replay window) and the catalogue read;
#   reference: GET of the same bytes from nginx.
# PAIRS=N (default 2) repeats the pair N times; the ratios printed are the medians of the pairs' ratios.
# Prints one summary line per measure and the ratios (targets: throughput >= 0.5, p99 <= 2x nginx's), with the CPU
# time each server spent per request (user + system, from /proc), which a shared machine's load disturbs far less
# than it disturbs throughput and latency.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
secs=${1:-10}
PAIRS=${PAIRS:-2}
jar=${METALFORGE_JAR:-$root/distribution/target/metalforge.jar}
for tool in wrk nginx python3 sfdisk mkfs.ext4; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install -y wrk nginx fdisk e2fsprogs" >&2; exit 1; }
done
[ -f "$jar" ] || { echo "$jar not found: mvn -B package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
nport=$(free_port)
cd "$work"
# shellcheck disable=SC2086 # API_JAVA_OPTS holds several JVM options (a JIT setting, say)
java ${API_JAVA_OPTS:-} -Dorg.osgi.service.http.port="$port" -Dgosh.args=--nointeractive -jar "$jar" </dev/null >app.log 2>&1 &
app=$!
cleanup() {
  kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true
  [ -f "$work/nginx/nginx.pid" ] && nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  grep -q "metalforge ready" app.log && break
  sleep 0.5
done
grep -q "metalforge ready" app.log || { cat app.log >&2; echo "appliance did not start" >&2; exit 1; }

key=$(METALFORGE_JAR="$jar" "$root/bin/metalforge-admin" createadmin bench | tail -1)
IFS=: read -r MF_CK MF_TK MF_SECRET <<<"$key"
export MF_CK MF_TK MF_SECRET MF_PATH=/MAAS/api/2.0/boot-resources/
base=http://127.0.0.1:$port
for _ in $(seq 1 60); do curl -s -o /dev/null "$base/MAAS/api/2.0/version/" && break; sleep 1; done

# a small raw disk image (GPT, one ext4 partition) the image doctor accepts, uploaded under three names
img=$work/disk.img
head -c 8M /dev/zero >"$img"
printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' | sfdisk --quiet "$img"
mkfs.ext4 -q -F -E offset=$((2048 * 512)) "$img" 6M
for n in 1 2 3; do
  python3 "$here/maas_upload.py" 127.0.0.1 "$port" "$key" "$img" "bench-$n" ddraw ubuntu/noble >/dev/null \
    || echo "upload of bench-$n failed: the catalogue holds fewer resources" >&2
done

# the body the API answers, served by nginx
mkdir -p "$work/nginx/root/MAAS/api/2.0/boot-resources" "$work/nginx/tmp"
python3 - "$base" "$key" >"$work/nginx/root/MAAS/api/2.0/boot-resources/index.json" <<'PY'
import random, sys, time, urllib.request
base, key = sys.argv[1:3]
ck, tk, secret = key.split(":")
auth = ('OAuth oauth_nonce="%d", oauth_timestamp="%d", oauth_version="1.0", oauth_signature_method="PLAINTEXT", '
        'oauth_consumer_key="%s", oauth_token="%s", oauth_signature="%%26%s"'
        % (random.getrandbits(63), int(time.time()), ck, tk, secret))
req = urllib.request.Request(base + "/MAAS/api/2.0/boot-resources/", headers={"Authorization": auth})
sys.stdout.buffer.write(urllib.request.urlopen(req).read())
PY
body_bytes=$(stat -c %s "$work/nginx/root/MAAS/api/2.0/boot-resources/index.json")
chmod -R a+rX "$work/nginx/root"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$nport; root $work/nginx/root; index index.json; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
nbase=http://127.0.0.1:$nport

# Warm up both: the first requests load Jetty's classes and get the JIT going; C2 needs some 10^5 requests of the
# same path before the measured runs reflect the steady state (WARMUP seconds at 64 connections, default 20)
for _ in 1 2 3; do
  wrk -t2 -c8 -d5s --timeout 20s -s "$here/api-sign.lua" "$base" >/dev/null
  wrk -t2 -c64 -d3s --timeout 20s -s "$here/api-sign.lua" "$base" | grep -q "Requests/sec: *[1-9]" && break
done
wrk -t2 -c64 -d"${WARMUP:-20}s" --timeout 20s -s "$here/api-sign.lua" "$base" >/dev/null
wrk -t2 -c64 -d3s --timeout 20s "$nbase/MAAS/api/2.0/boot-resources/" >/dev/null

ms() { # wrk latency (e.g. 812.00us, 3.21ms, 1.02s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; print n }'
}
cpu_ticks() { # CPU clock ticks (user + system) used so far by the given processes
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
hz=$(getconf CLK_TCK)
run() { # label, "pids of the server", wrk args...; prints "req/s p99_ms cpu_us_per_request"
  local label=$1 pids=$2; shift 2
  local before; before=$(cpu_ticks $pids)
  local out; out=$(wrk -t2 -c64 -d"${secs}s" --timeout 10s --latency "$@")
  local used=$(( $(cpu_ticks $pids) - before ))
  local rps p50 p99 errors requests cpu
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  # CPU per request: what the server spent, whatever else the machine was running (a shared machine's load moves
  # req/s and latency far more than it moves this)
  cpu=$(awk -v t="$used" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
  printf '  %-32s %10s req/s   p50 %8s   p99 %8s   CPU %4s us/req   non-2xx %s\n' "$label" "$rps" "$p50" "$p99" \
    "$cpu" "${errors:-0}" >&2
  [ -z "$errors" ] || { echo "$out" >&2; echo "requests failed" >&2; exit 1; }
  grep -q "Socket errors" <<<"$out" && echo "  $(grep 'Socket errors' <<<"$out")" >&2
  awk -v r="$rps" 'BEGIN {exit !(r > 0)}' || { echo "$out" >&2; echo "no request completed" >&2; exit 1; }
  echo "$rps $(ms "$p99") $cpu"
}
echo "API benchmark: wrk -t2 -c64 -d${secs}s, loopback, body $body_bytes bytes, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
npids="$(cat "$work/nginx/nginx.pid") $(pgrep -P "$(cat "$work/nginx/nginx.pid")" | tr '\n' ' ')"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
QT=(); QP=(); AC=(); NC=(); AP=(); NP=()
for pair in $(seq 1 "$PAIRS"); do
  read -r n np nc <<<"$(run "nginx, same body (A$pair)" "$npids" "$nbase/MAAS/api/2.0/boot-resources/")"
  read -r a ap ac <<<"$(run "signed GET boot-resources/ (B$pair)" "$app" -s "$here/api-sign.lua" "$base")"
  QT+=("$(awk "BEGIN{print $a / $n}")"); QP+=("$(awk "BEGIN{print $ap / $np}")")
  AC+=("$ac"); NC+=("$nc"); AP+=("$ap"); NP+=("$np")
done
echo "  Jetty threads after the runs: $(ls "/proc/$app/task" | wc -l) in the JVM (pool max 96), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "  pairs' throughput ratios: ${QT[*]}; p99 ratios: ${QP[*]}" >&2
awk -v qt="$(median "${QT[@]}")" -v qp="$(median "${QP[@]}")" -v ap="$(median "${AP[@]}")" -v np="$(median "${NP[@]}")" \
  -v ac="$(median "${AC[@]}")" -v nc="$(median "${NC[@]}")" -v pairs="$PAIRS" 'BEGIN {
  printf "signed GET boot-resources/ vs nginx, medians of %d pairs: throughput ratio %.2f (target >= 0.5)   p99 %.1f ms vs %.1f ms, ratio %.2f (target <= 2)   CPU %.0f vs %.0f us/request, nginx/API %.2f\n",
    pairs, qt, ap, np, qp, ac, nc, nc / ac }'
