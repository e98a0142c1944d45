#!/usr/bin/env bash
# Cold start of the exported distribution to "metalforge ready in N ms" and resident memory one second after,
# median of 5 runs, each in a fresh folder (fresh ./var and ./deploy). Reference measured in the same run the same
# way: an idle JVM that reports its uptime and stays alive (what Java itself costs on this machine).
# Usage: bench/startup.sh [runs]      (builds the distribution first if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=distribution/target/metalforge.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
jar=$(pwd)/$jar

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

# run_once <pattern> <cmd...>: prints "<ms> <rss_kb>"
run_once() {
  local pattern=$1; shift
  local dir; dir=$(mktemp -d -p "$work")
  ( cd "$dir" && exec "$@" </dev/null >"$dir/out" 2>&1 ) &
  local pid=$!
  local ms=""
  for _ in $(seq 1 600); do
    ms=$(grep -oE "$pattern in [0-9]+ ms" "$dir/out" 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
    [ -n "$ms" ] && break
    sleep 0.05
  done
  sleep 1
  local rss; rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
  kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
  [ -n "$ms" ] || { echo "no ready line:" >&2; cat "$dir/out" >&2; exit 1; }
  echo "$ms $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

mf=(); ref=()
for i in $(seq 1 "$runs"); do
  mf+=("$(run_once 'metalforge ready' java -jar "$jar")")
  ref+=("$(run_once 'idle ready' java -cp "$work/ref" Idle)")
done
mf_ms=$(printf '%s\n' "${mf[@]}" | awk '{print $1}' | median)
mf_rss=$(printf '%s\n' "${mf[@]}" | awk '{print $2}' | median)
ref_ms=$(printf '%s\n' "${ref[@]}" | awk '{print $1}' | median)
ref_rss=$(printf '%s\n' "${ref[@]}" | awk '{print $2}' | median)
bundles=$(unzip -l "$jar" | grep -c ' jar/.*\.jar$')

echo "bundles in distribution:      $bundles"
echo "metalforge ready (median/$runs): ${mf_ms} ms   RSS ${mf_rss} kB ($((mf_rss / 1024)) MB)"
echo "idle JVM reference:            ${ref_ms} ms   RSS ${ref_rss} kB ($((ref_rss / 1024)) MB)"
awk -v a="$mf_ms" -v b="$ref_ms" -v c="$mf_rss" -v d="$ref_rss" 'BEGIN {
  printf "ratio to reference:            time %.1fx   RSS %.1fx\n", a / b, c / d }'
echo "targets: ready <= 2000 ms: $([ "$mf_ms" -le 2000 ] && echo met || echo MISSED); RSS <= 200 MB: $([ "$mf_rss" -le 204800 ] && echo met || echo MISSED)"
