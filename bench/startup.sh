#!/usr/bin/env bash
# Cold start of the exported distribution, median of 5 runs, each in a fresh folder (fresh ./var and ./deploy):
#   ready   the line "metalforge ready in N ms" (N = JVM uptime when every component is satisfied and active)
#   answer  time from launching java to the first 200 from GET /MAAS/api/2.0/version/ (polled every 20 ms)
#   CPU     CPU seconds the JVM used (user + system, all its threads: JIT and GC included) when the ready line
#           appeared; less sensitive to other load on the machine than the wall-clock figures
#   RSS     resident memory one second after ready
# Reference measured in the same run the same way: an idle JVM that reports its uptime and stays alive (what Java
# itself costs on this machine). The load average before and after is printed: the machine is often shared.
# Usage: bench/startup.sh [runs] [java options...]    (builds the distribution first if it is missing)
#   METALFORGE_JAR=path   measure another jar;   METALFORGE_JAVA="bin/metalforge"   measure a launcher script
#   (bin/metalforge writes its class-data archive when the first start's JVM exits: one unmeasured start does that)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
jar=${METALFORGE_JAR:-distribution/target/metalforge.jar}
[ -f "$jar" ] || mvn -B -q package -DskipTests
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
launcher=${METALFORGE_JAVA:-}
[ -z "$launcher" ] || launcher=$(cd "$(dirname "$launcher")" && pwd)/$(basename "$launcher")

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
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# run_once <pattern> <port or 0> <cmd...>: prints "<ready ms> <rss_kb> <answer ms or 0> <cpu ms at ready>"
run_once() {
  local pattern=$1 port=$2; shift 2
  local dir; dir=$(mktemp -d -p "$work")
  local t0; t0=$(now_ms)
  ( cd "$dir" && exec "$@" </dev/null >"$dir/out" 2>&1 ) &
  local pid=$!
  local ms="" answer=0 cpu=0
  for _ in $(seq 1 1500); do
    if [ "$port" != 0 ] && [ "$answer" = 0 ] && \
       [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/MAAS/api/2.0/version/" || true)" = 200 ]; then
      answer=$(( $(now_ms) - t0 ))
    fi
    if [ -z "$ms" ]; then
      ms=$(grep -oE "$pattern in [0-9]+ ms" "$dir/out" 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
      [ -z "$ms" ] || cpu=$(cpu_ms $pid)
    fi
    [ -n "$ms" ] && { [ "$port" = 0 ] || [ "$answer" != 0 ]; } && break
    sleep 0.02
  done
  sleep 1
  local rss; rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
  kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
  [ -n "$ms" ] || { echo "no ready line:" >&2; cat "$dir/out" >&2; exit 1; }
  echo "$ms $rss $answer $cpu"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $load_before"
if [ -n "$launcher" ]; then
  # the launcher's first start writes the class-data archive when its JVM exits; later starts map it
  run_once 'metalforge ready' 0 env METALFORGE_JAR="$jar" "$launcher" "-Dorg.osgi.service.http.port=$(free_port)" "$@" \
    >/dev/null
fi
mf=(); ref=()
for i in $(seq 1 "$runs"); do
  port=$(free_port)
  if [ -n "$launcher" ]; then
    mf+=("$(run_once 'metalforge ready' "$port" env METALFORGE_JAR="$jar" "$launcher" "-Dorg.osgi.service.http.port=$port" "$@")")
  else
    mf+=("$(run_once 'metalforge ready' "$port" java "-Dorg.osgi.service.http.port=$port" "$@" -jar "$jar")")
  fi
  ref+=("$(run_once 'idle ready' 0 java -cp "$work/ref" Idle)")
  echo "run $i: ${mf[-1]}" >&2
done
col() { printf '%s\n' "${@:2}" | awk -v c="$1" '{print $c}' | median; }
mf_ms=$(col 1 "${mf[@]}"); mf_rss=$(col 2 "${mf[@]}"); mf_answer=$(col 3 "${mf[@]}"); mf_cpu=$(col 4 "${mf[@]}")
ref_ms=$(col 1 "${ref[@]}"); ref_rss=$(col 2 "${ref[@]}"); ref_cpu=$(col 4 "${ref[@]}")
bundles=$(unzip -l "$jar" | grep -c ' jar/.*\.jar$')

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average after:  $load_after"
echo "bundles in distribution:      $bundles"
echo "metalforge ready (median/$runs): ${mf_ms} ms   first version/ answer ${mf_answer} ms   CPU ${mf_cpu} ms   RSS ${mf_rss} kB ($((mf_rss / 1024)) MB)"
echo "idle JVM reference:            ${ref_ms} ms   CPU ${ref_cpu} ms   RSS ${ref_rss} kB ($((ref_rss / 1024)) MB)"
awk -v a="$mf_ms" -v b="$ref_ms" -v c="$mf_rss" -v d="$ref_rss" -v e="$mf_cpu" -v f="$ref_cpu" 'BEGIN {
  printf "ratio to reference:            time %.1fx   CPU %.1fx   RSS %.1fx\n", a / b, e / (f > 0 ? f : 1), c / d }'
awk -v a="$mf_ms" -v b="$ref_ms" -v c="$mf_rss" -v d="$ref_rss" -v e="$mf_cpu" -v f="$ref_cpu" -v g="$mf_answer" \
  -v l="$load_before / $load_after" -v n="$runs" 'BEGIN { printf "summary: ready %d ms (%.1fx idle JVM), first answer %d ms, " \
  "CPU %.1f s (%.1fx idle JVM), RSS %d MB (%.1fx), median of %d, load %s\n", a, a / b, g, e / 1000,
  e / (f > 0 ? f : 1), c / 1024, c / d, n, l }'
echo "targets: ready <= 2000 ms: $([ "$mf_ms" -le 2000 ] && echo met || echo MISSED); first answer <= 2500 ms: $([ "$mf_answer" -le 2500 ] && echo met || echo MISSED); RSS <= 200 MB: $([ "$mf_rss" -le 204800 ] && echo met || echo MISSED)"
