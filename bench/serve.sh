#!/usr/bin/env bash
# Boot file serving against the reference servers, on loopback, in the same run on the same files:
#  1. 200 concurrent HTTP clients (wrk) fetching a 1 GiB image from Metalforge's boot server and from nginx
#     (sendfile on), then 200 clients reading 1 MiB ranges of it; p99 time to first byte from 200 concurrent curls.
#  2. 50 concurrent TFTP transfers (curl, blksize 1468) of a 30 MB file from Metalforge and from atftpd.
# Every measure runs as pairs A B A B (Metalforge, then the reference, twice), so a machine whose load drifts during
# the run shows in the pairs; the last lines are one summary per measure with the ratio to the reference.
# Usage: bench/serve.sh            (WORK=<dir> scratch folder, DURATION=<s> per wrk run, default 20,
#                                   PAIRS=<n> pairs per measure, default 2, JFR=1 records a flight recording of the
#                                   server to $WORK/server/serve.jfr, MEASURES="full range ttfb tftp" the measures
#                                   to run, default all four)
# Each HTTP run also reports the server's CPU time (user + system, all threads or nginx's workers) per request, which
# depends less on what else the machine runs than the rates do.
# Needs: a built distribution (mvn -B -q package -DskipTests), nginx, wrk, curl, atftpd, python3, fdisk, e2fsprogs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d)}
DURATION=${DURATION:-20}
PAIRS=${PAIRS:-2}
MEASURES=${MEASURES:-full range ttfb tftp}
want() { case " $MEASURES " in *" $1 "*) return 0;; esac; return 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load)
mkdir -p "$WORK"
free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"; }

HTTP=0; { want full || want range || want ttfb; } && HTTP=1
IMAGE=$WORK/image.raw
if [ $HTTP = 1 ] && [ ! -f "$IMAGE" ]; then   # a real disk image (GPT, ESP, ext4), so the image doctor accepts the upload
  head -c 1G /dev/urandom > "$IMAGE"
  printf 'label: gpt\nstart=2048, size=262144, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\nstart=264192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' \
    | sfdisk --quiet "$IMAGE"
  mkfs.ext4 -q -F -E offset=$((264192 * 512)) "$IMAGE" 128M
fi
SMALL=$WORK/tftp30.bin
[ -f "$SMALL" ] || head -c 30M /dev/urandom > "$SMALL"
SHA=; [ $HTTP = 1 ] && SHA=$(sha256sum "$IMAGE" | cut -d' ' -f1)

# ---- Metalforge: its own data folder, free ports, the image in its blob store and catalog through the API
SERVER=$WORK/server
rm -rf "$SERVER"; mkdir -p "$SERVER/deploy" "$SERVER/var/bootloaders"
API=$(free_port tcp); BOOT=$(free_port tcp); TFTP=$(free_port udp)
printf 'additionalArchitectures=["amd64/generic"]\n' > "$SERVER/deploy/io.metalforge.catalog.upload.config"
# every client of this benchmark is 127.0.0.1: lift the per-client limits above the client counts
printf 'bind_address=127.0.0.1\nport=%s\nmax_connections_per_client=256\napi_address=127.0.0.1:%s\n' "$BOOT" "$API" \
  > "$SERVER/deploy/io.metalforge.boot.http.cfg"
printf 'bind_address=127.0.0.1\nport=%s\nmax_transfers_per_client=64\n' "$TFTP" > "$SERVER/deploy/io.metalforge.boot.tftp.cfg"
cp "$SMALL" "$SERVER/var/bootloaders/tftp30.bin"
mkfifo "$SERVER/console"
JFR_OPT=; [ "${JFR:-0}" = 1 ] && JFR_OPT="-XX:StartFlightRecording=filename=serve.jfr,settings=profile,dumponexit=true"
(cd "$SERVER" && exec java -Xmx256m $JFR_OPT -Dorg.osgi.service.http.port=$API -Dmetalforge.boot.bind=127.0.0.1 \
   -Dmetalforge.boot.http.port=$BOOT -Dmetalforge.boot.tftp.port=$TFTP \
   -jar "$ROOT/distribution/target/metalforge.jar" < console > server.log 2>&1) &
JAVA_PID=$!
exec 3> "$SERVER/console"
NGINX_PID=; ATFTPD_PID=
cleanup() {
  echo "stop 0" >&3 2>/dev/null || true; sleep 2; kill $JAVA_PID 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; [ -n "$ATFTPD_PID" ] && kill "$ATFTPD_PID" 2>/dev/null; true
}
trap cleanup EXIT
for _ in $(seq 1 180); do grep -q "metalforge ready" "$SERVER/server.log" 2>/dev/null && break; sleep 1; done
if [ $HTTP = 1 ]; then
echo "metalforge:createadmin bench" >&3
for _ in $(seq 1 30); do grep -q "^[A-Za-z0-9]*:[A-Za-z0-9]*:[A-Za-z0-9]*$" "$SERVER/server.log" && break; sleep 1; done
KEY=$(grep -o "^[A-Za-z0-9]*:[A-Za-z0-9]*:[A-Za-z0-9]*$" "$SERVER/server.log" | head -1)
python3 "$ROOT/bench/maas_upload.py" 127.0.0.1 "$API" "$KEY" "$IMAGE" bench-serve ddraw ubuntu/noble > /dev/null
MF_URL="http://127.0.0.1:$BOOT/images/${SHA:0:7}/custom/amd64/generic/bench-serve/uploaded/root-dd"
for _ in $(seq 1 30); do [ "$(curl -s -o /dev/null -w '%{http_code}' -I "$MF_URL")" = 200 ] && break; sleep 1; done

# ---- nginx on the same file
NG=$WORK/nginx; rm -rf "$NG"; mkdir -p "$NG/root/images/${SHA:0:7}/custom/amd64/generic/bench-serve/uploaded"
ln "$IMAGE" "$NG/root/images/${SHA:0:7}/custom/amd64/generic/bench-serve/uploaded/root-dd" 2>/dev/null \
  || cp "$IMAGE" "$NG/root/images/${SHA:0:7}/custom/amd64/generic/bench-serve/uploaded/root-dd"
NGPORT=$(free_port tcp)
# as root, nginx's workers would run as www-data, which cannot enter the private scratch folder
NGUSER=""; [ "$(id -u)" -eq 0 ] && NGUSER="user root;"
cat > "$NG/nginx.conf" <<CONF
$NGUSER daemon off; worker_processes auto; error_log $NG/error.log; pid $NG/nginx.pid;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_timeout 30;
  client_body_temp_path $NG; proxy_temp_path $NG; fastcgi_temp_path $NG; uwsgi_temp_path $NG; scgi_temp_path $NG;
  server { listen 127.0.0.1:$NGPORT; root $NG/root; } }
CONF
nginx -c "$NG/nginx.conf" & NGINX_PID=$!
NG_URL="http://127.0.0.1:$NGPORT/images/${SHA:0:7}/custom/amd64/generic/bench-serve/uploaded/root-dd"
for _ in $(seq 1 30); do curl -s -o /dev/null -I "$NG_URL" && break; sleep 0.2; done
[ "$(curl -s "$NG_URL" | sha256sum | cut -d' ' -f1)" = "$SHA" ] || { echo "nginx served other bytes" >&2; exit 1; }
[ "$(curl -s "$MF_URL" | sha256sum | cut -d' ' -f1)" = "$SHA" ] || { echo "Metalforge served other bytes" >&2; exit 1; }

cat "$IMAGE" > /dev/null   # both read from the page cache
fi
wrk_mbs() {   # URL [header]: MB/s and requests
  local out; out=$(wrk -t2 -c200 -d"${DURATION}s" --timeout 60s ${2:+-H "$2"} --latency "$1")
  echo "$out" > "$WORK/wrk-last.txt"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
if "Non-2xx" in out or "Socket errors" in out:
    sys.exit("wrk saw failed requests:\n" + out)
t = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
scale = {"B": 1e-6, "KB": 1.024e-3, "MB": 1.048576, "GB": 1073.741824}[t.group(2)]
rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
total = re.search(r"(\d+) requests in", out).group(1)
print("%.0f %s %s%s %s" % (float(t.group(1)) * scale, rps, p99.group(1), p99.group(2), total))
PY
}
# CPU time (user + system, clock ticks, every thread) of the processes PIDS: the server's cost per request, which
# the load of other programs on the machine changes far less than the wall-clock rate
cpu_ticks() {
  local p t=0
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
server_pids() { if [ "$1" = nginx ]; then echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); else echo "$JAVA_PID"; fi; }
TICK_MS=$((1000 / $(getconf CLK_TCK)))
pct99() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR*0.99)]*1000}'; }
ttfb_p99() {  # URL: p99 time to first byte (ms) of 200 concurrent ranged GETs
  seq 200 | xargs -P 200 -I{} curl -s -o /dev/null -r 0-1048575 -w '%{time_starttransfer}\n' "$1" | pct99
}
RANGE="Range: bytes=268435456-269484031"
# results: one line per run, "measure server value"
RESULTS=$WORK/results.txt; : > "$RESULTS"
run_http() {  # pair number: the HTTP measures, Metalforge then nginx each time
  local mbs rps p99 total c0 cpu who url r
  for who in metalforge nginx; do
    want full || break
    url=$MF_URL; [ $who = nginx ] && url=$NG_URL
    c0=$(cpu_ticks $(server_pids $who))
    r=$(wrk_mbs "$url"); read -r mbs rps p99 total <<< "$r"   # a failed request stops the benchmark
    cpu=$(( ($(cpu_ticks $(server_pids $who)) - c0) * TICK_MS ))
    echo "full $who $mbs $p99" >> "$RESULTS"
    echo "fullcpu $who $(echo "$cpu / $total" | bc -l)" >> "$RESULTS"
    echo "pair $1 full  $who: $mbs MB/s, p99 $p99, server CPU $cpu ms for $total files (load $(load))"
  done
  for who in metalforge nginx; do
    want range || break
    url=$MF_URL; [ $who = nginx ] && url=$NG_URL
    c0=$(cpu_ticks $(server_pids $who))
    r=$(wrk_mbs "$url" "$RANGE"); read -r mbs rps p99 total <<< "$r"
    cpu=$(( ($(cpu_ticks $(server_pids $who)) - c0) * TICK_MS ))
    echo "range $who $rps $p99" >> "$RESULTS"
    echo "rangecpu $who $(echo "$cpu / $total" | bc -l)" >> "$RESULTS"
    echo "pair $1 range $who: $rps req/s, p99 $p99, server CPU $cpu ms for $total requests (load $(load))"
  done
  for who in metalforge nginx; do
    want ttfb || break
    url=$MF_URL; [ $who = nginx ] && url=$NG_URL
    p99=$(ttfb_p99 "$url")
    echo "ttfb $who $p99" >> "$RESULTS"
    echo "pair $1 ttfb  $who: p99 $p99 ms (load $(load))"
  done
}
[ $HTTP = 1 ] && for pair in $(seq 1 "$PAIRS"); do run_http "$pair"; done
# ---- TFTP: 50 concurrent 30 MB transfers, Metalforge against atftpd
tftp50() {  # port who: "seconds failures" for 50 concurrent transfers; each failure is shown, none stops the run
  local t0 t1 dir=$WORK/tftp-$2; rm -rf "$dir"; mkdir -p "$dir"
  t0=$(date +%s.%N)
  # each transfer keeps curl's exit code and message, so a failure says which transfer and why
  seq 50 | xargs -P 50 -I{} sh -c 'curl -sS --max-time 300 --tftp-blksize 1468 -o "$1/$2" "$3" 2> "$1/$2.err"; echo $? > "$1/$2.rc"' \
    sh "$dir" {} "tftp://127.0.0.1:$1/tftp30.bin"
  t1=$(date +%s.%N)
  local want failed=0 i; want=$(sha256sum "$SMALL" | cut -d' ' -f1)
  for i in $(seq 50); do   # every transfer must have delivered the whole file (a refused one leaves no file)
    if ! [ -f "$dir/$i" ] || [ "$(sha256sum "$dir/$i" | cut -d' ' -f1)" != "$want" ]; then
      failed=$((failed + 1))
      echo "TFTP transfer $i from $2 failed: curl exit $(cat "$dir/$i.rc" 2>/dev/null || echo '?')," \
        "$(stat -c %s "$dir/$i" 2>/dev/null || echo 0) of $(stat -c %s "$SMALL") bytes: $(tr '\n' ' ' < "$dir/$i.err")" >&2
    fi
  done
  echo "$(echo "$t1 - $t0" | bc -l) $failed"
}
if want tftp; then
  AT=$WORK/atftpd; rm -rf "$AT"; mkdir -p "$AT"; cp "$SMALL" "$AT/tftp30.bin"
  ATPORT=$(free_port udp)
  # as root, atftpd would switch to nobody, which cannot enter the private scratch folder (mktemp -d) and answers
  # "File not found" to every request
  ATUSER=(); [ "$(id -u)" -eq 0 ] && ATUSER=(--user root --group root)
  atftpd --daemon --no-fork "${ATUSER[@]}" --port "$ATPORT" --bind-address 127.0.0.1 --maxthread 100 \
    --logfile /dev/null "$AT" &
  ATFTPD_PID=$!
  sleep 1
  for pair in $(seq 1 "$PAIRS"); do
    for who in metalforge atftpd; do
      port=$TFTP; [ $who = atftpd ] && port=$ATPORT
      read -r t failed <<< "$(tftp50 "$port" "$who")"
      echo "tftp $who $t $failed" >> "$RESULTS"
      echo "pair $pair tftp  $who: $t s, $failed of 50 transfers failed (load $(load))"
    done
  done
fi
LOAD_END=$(load)

# ---- one summary line per measure (means over the pairs, ratio of the means, each pair's ratio), then one line
# with every ratio, the targets and the load, to paste into docs/BENCHMARKS.md
python3 - "$RESULTS" "$DURATION" "$PAIRS" "$LOAD_START" "$LOAD_END" <<'PY'
import sys
from collections import defaultdict
path, duration, pairs, load_start, load_end = sys.argv[1:]
runs = defaultdict(list)
failures = defaultdict(int)
for line in open(path):
    fields = line.split()
    runs[(fields[0], fields[1])].append(float(fields[2]))
    if fields[0] == "tftp":
        failures[fields[1]] += int(fields[3])
def mean(v):
    return sum(v) / len(v)
ratios = []
def line(name, measure, ref, unit, higher_is_better=True, target=None):
    a, b = runs[(measure, "metalforge")], runs[(measure, ref)]
    if not a or not b:
        return
    per_pair = [(x / y if higher_is_better else y / x) for x, y in zip(a, b)]
    ratio = mean(a) / mean(b) if higher_is_better else mean(b) / mean(a)
    extra = ""
    if measure == "tftp":
        extra = "  failed transfers: Metalforge %d, %s %d of %d" % (
            failures["metalforge"], ref, failures[ref], 50 * len(a))
    print("SUMMARY %-46s Metalforge %9.2f %-6s %-8s %9.2f %-6s ratio %.2f  (pairs: %s)%s"
          % (name, mean(a), unit, ref, mean(b), unit, ratio, " ".join("%.2f" % r for r in per_pair), extra))
    verdict = "" if target is None else (" (>= %.1f %s)" % (target, "met" if ratio >= target else "MISSED"))
    ratios.append("%s %.2f%s" % (measure, ratio, verdict))
print("load average at start %s, at end %s; %s pairs A B A B; wrk %s s per run" % (load_start, load_end, pairs, duration))
line("HTTP 200 clients, whole 1 GiB file", "full", "nginx", "MB/s", target=0.9)
line("HTTP 200 clients, 1 MiB ranges", "range", "nginx", "req/s", target=0.9)
line("HTTP server CPU per whole file", "fullcpu", "nginx", "ms", higher_is_better=False)
line("HTTP server CPU per 1 MiB range", "rangecpu", "nginx", "ms", higher_is_better=False)
line("HTTP p99 time to first byte, 200 ranged curls", "ttfb", "nginx", "ms", higher_is_better=False)
line("TFTP 50 x 30 MB transfers (time; ratio ref/MF)", "tftp", "atftpd", "s", higher_is_better=False)
tftp_failed = " tftp-failed %d" % failures["metalforge"] if runs[("tftp", "metalforge")] else ""
print("RESULT ratios to the reference (above 1: Metalforge better): %s;%s load %s -> %s"
      % ("; ".join(ratios), tftp_failed, load_start, load_end))
PY
