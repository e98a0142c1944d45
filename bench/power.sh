#!/usr/bin/env bash
# Power benchmark: N BMCs on loopback power-cycled at once through the power service, with MAAS's wait schedule;
# prints total time, p50/p99 per cycle, threads, heap, and the ratio to the same cycles done one machine at a time
# (measured on a sample in the same run).
# Usage: bench/power.sh [BMCS=200] [POOL_THREADS=32] [WAITS=1,2,2,4,6,8,12] [POWER_DELAY_MS=200] [SAMPLE=5]
#            Redfish: the project's Redfish test BMCs and the Redfish driver
#        bench/power.sh ipmi [BMCS=20] [POOL_THREADS=32] [WAITS=1,2,2,4,6,8,12] [SAMPLE=3]
#            IPMI: ipmi_sim processes (apt: openipmi) and the IPMI driver (apt: freeipmi-tools)
set -euo pipefail
cd "$(dirname "$0")/.."
module=bundles/io.metalforge.power.redfish
main=io.metalforge.power.redfish.internal.PowerBenchmark
if [ "${1:-}" = ipmi ]; then
  shift
  module=bundles/io.metalforge.power.ipmi
  main=io.metalforge.power.ipmi.internal.IpmiPowerBenchmark
fi
mvn -B -q -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat $module/target/bench.classpath)"
exec java -Xmx512m -cp "$cp" "$main" "$@"
