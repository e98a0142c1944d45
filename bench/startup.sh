#!/usr/bin/env bash
# Cold start of the exported distribution, median of 5 runs, each in a fresh folder (fresh ./var and ./deploy), for
# both ways to start it, interleaved: `bin/metalforge` (README's command, the appliance launcher: bounded heap, the
# class-data archive and the bundle folder the build wrote next to the jar, later JIT thresholds, see README) and
# `java -jar metalforge.jar` (the same jar with the JDK's defaults).
#   ready   the line "metalforge ready in N ms" (N = JVM uptime when every component is satisfied and active)
#   answer  time from launching java to the first 200 from GET /MAAS/api/2.0/version/ (polled every 20 ms by one
#           long-lived probe process per start: a loopback connect, then a plain HTTP/1.0 GET)
#   CPU     CPU seconds the JVM used (user + system, all its threads: JIT and GC included) when the ready line
#           appeared; less sensitive to other load on the machine than the wall-clock figures
#   RSS     resident memory one second after ready
# Reference measured in the same run the same way: an idle JVM that reports its uptime and stays alive (what Java
# itself costs on this machine). The load average before and after is printed: the machine is often shared.
# Usage: bench/startup.sh [runs] [java options...]    (builds the distribution first if it is missing)
#   METALFORGE_JAR=path   measure another jar;   METALFORGE_BENCH=jar or METALFORGE_BENCH=launcher   only one of the two
#   METALFORGE_JAVA=script   measure another launcher script than bin/metalforge
#   (without an archive or a bundle folder next to the jar, one unmeasured launcher start writes them)
# Ends with one `summary:` line per start command and the targets of the architecture issue (ready <= 2 s, first
# answer <= 2.5 s, RSS <= 200 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
jar=${METALFORGE_JAR:-distribution/target/metalforge.jar}
[ -f "$jar" ] || mvn -B -q package -DskipTests
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
launcher=${METALFORGE_JAVA:-bin/metalforge}
launcher=$(cd "$(dirname "$launcher")" && pwd)/$(basename "$launcher")
which=${METALFORGE_BENCH:-both}
case $which in jar|launcher|both) ;; *) echo "METALFORGE_BENCH is jar, launcher or both" >&2; exit 2 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ref"
cat > "$work/ref/Idle.java" <<'JAVA'
public class Idle {
    public static void main(String[] args) throws Exception {
        System.out.println("idle ready in " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        Thread.sleep(60_000);
    }
}
JAVA
javac -d "$work/ref" "$work/ref/Idle.java"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The probe: one long-lived python process per start that launches the command and watches it every 20 ms from the
# same process (a loopback connect, then one plain HTTP/1.0 GET once something listens; the ready line read from the
# output file; /proc for CPU and RSS). The first version of this script forked curl, grep, date and sleep on every
# 20 ms tick, some 300 processes a second on a 2-core machine, which took CPU from the start it measured.
cat > "$work/ref/probe.py" <<'PY'
import os, re, signal, socket, subprocess, sys, time
pattern, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cmd = sys.argv[4:]
ready = re.compile(re.escape(pattern).encode() + rb" in ([0-9]+) ms")
request = b"GET /MAAS/api/2.0/version/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 // os.sysconf("SC_CLK_TCK")
def answers():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(request)
            head = s.recv(64)
            return head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")
    except OSError:
        return False
with open(out, "wb") as sink, open(out, "rb") as log:
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
    ms, answer, cpu, seen = None, 0, 0, b""
    for _ in range(1500):
        if port and not answer and answers():
            answer = int((time.monotonic() - t0) * 1000)
        if ms is None:
            seen += log.read()
            m = ready.search(seen)
            if m:
                ms, cpu = int(m.group(1)), cpu_ms(proc.pid)
        if (ms is not None and (not port or answer)) or proc.poll() is not None:
            break
        time.sleep(0.02)
    time.sleep(1)
    rss = 0
    try:
        with open(f"/proc/{proc.pid}/status") as f:
            rss = next((int(l.split()[1]) for l in f if l.startswith("VmRSS")), 0)
    except OSError:
        pass
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill(); proc.wait()
if ms is None:
    sys.exit(1)
print(ms, rss, answer, cpu)
PY

# run_once <pattern> <port or 0> <cmd...>: prints "<ready ms> <rss_kb> <answer ms or 0> <cpu ms at ready>"
run_once() {
  local pattern=$1 port=$2; shift 2
  local dir; dir=$(mktemp -d -p "$work")
  (cd "$dir" && python3 "$work/ref/probe.py" "$pattern" "$port" "$dir/out" "$@") \
    || { echo "no ready line:" >&2; cat "$dir/out" >&2; exit 1; }
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# the boot servers listen on free loopback ports too: their defaults may be taken on a shared machine
boot() { echo "-Dmetalforge.boot.bind=127.0.0.1 -Dmetalforge.boot.http.port=$(free_port) -Dmetalforge.boot.tftp.port=$(free_udp_port)"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $load_before"
archive=${jar%.jar}.jsa
if [ "$which" != jar ] && ! { [ -f "$archive" ] && [ "$archive" -nt "$jar" ] \
    && [ "${jar%.jar}.bundles/.extracted-from" -nt "$jar" ]; }; then
  echo "no class-data archive or bundle folder next to the jar: one unmeasured launcher start writes them" >&2
  run_once 'metalforge ready' 0 env METALFORGE_JAR="$jar" "$launcher" "-Dorg.osgi.service.http.port=$(free_port)" $(boot) "$@" \
    >/dev/null
fi
jar_runs=(); launcher_runs=(); ref=()
for i in $(seq 1 "$runs"); do
  if [ "$which" != launcher ]; then
    port=$(free_port)
    jar_runs+=("$(run_once 'metalforge ready' "$port" java "-Dorg.osgi.service.http.port=$port" $(boot) "$@" -jar "$jar")")
    echo "run $i java -jar:       ${jar_runs[-1]}   (ready ms, RSS kB, first answer ms, CPU ms)" >&2
  fi
  if [ "$which" != jar ]; then
    port=$(free_port)
    launcher_runs+=("$(run_once 'metalforge ready' "$port" env METALFORGE_JAR="$jar" "$launcher" \
      "-Dorg.osgi.service.http.port=$port" $(boot) "$@")")
    echo "run $i bin/metalforge:  ${launcher_runs[-1]}" >&2
  fi
  ref+=("$(run_once 'idle ready' 0 java -cp "$work/ref" Idle)")
done
col() { printf '%s\n' "${@:2}" | awk -v c="$1" '{print $c}' | median; }
ref_ms=$(col 1 "${ref[@]}"); ref_rss=$(col 2 "${ref[@]}"); ref_cpu=$(col 4 "${ref[@]}")
bundles=$(unzip -l "$jar" | grep -c ' jar/.*\.jar$')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average after:  $load_after"
echo "bundles in distribution:      $bundles"
echo "idle JVM reference:            ${ref_ms} ms   CPU ${ref_cpu} ms   RSS ${ref_rss} kB ($((ref_rss / 1024)) MB)"

# report <label> <runs...>: the medians, the ratios to the idle JVM, the one-line summary and the targets
report() {
  local label=$1; shift
  local ms rss answer cpu
  ms=$(col 1 "$@"); rss=$(col 2 "$@"); answer=$(col 3 "$@"); cpu=$(col 4 "$@")
  echo "$label ready (median/$runs): ${ms} ms   first version/ answer ${answer} ms   CPU ${cpu} ms   RSS ${rss} kB ($((rss / 1024)) MB)"
  awk -v a="$ms" -v b="$ref_ms" -v c="$rss" -v d="$ref_rss" -v e="$cpu" -v f="$ref_cpu" -v g="$answer" \
    -v l="$load_before / $load_after" -v n="$runs" -v w="$label" 'BEGIN { printf "summary: %s ready %d ms (%.1fx idle JVM), " \
    "first answer %d ms, CPU %.1f s (%.1fx idle JVM), RSS %d MB (%.1fx), median of %d, load %s\n", w, a, a / b, g,
    e / 1000, e / (f > 0 ? f : 1), c / 1024, c / d, n, l }'
  echo "targets ($label): ready <= 2000 ms: $([ "$ms" -le 2000 ] && echo met || echo MISSED); first answer <= 2500 ms: $([ "$answer" -gt 0 ] && [ "$answer" -le 2500 ] && echo met || echo MISSED); RSS <= 200 MB: $([ "$rss" -le 204800 ] && echo met || echo MISSED)"
}
[ "$which" = launcher ] || report "java -jar" "${jar_runs[@]}"
[ "$which" = jar ] || report "bin/metalforge" "${launcher_runs[@]}"
