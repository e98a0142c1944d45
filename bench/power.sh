#!/usr/bin/env bash
# Power benchmark: N Redfish test BMCs on loopback power-cycled at once through the power service and the Redfish
# driver, with MAAS's wait schedule; prints total time, p50/p99 per cycle, threads, heap, and the ratio to the same
# cycles done one machine at a time (measured on a sample in the same run).
# Usage: bench/power.sh [BMCS=200] [POOL_THREADS=32] [WAITS=1,2,2,4,6,8,12] [POWER_DELAY_MS=200] [SAMPLE=5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bundles/io.metalforge.power.redfish -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
m=bundles/io.metalforge.power.redfish
cp="$m/target/test-classes:$m/target/classes:$(cat $m/target/bench.classpath)"
exec java -Xmx512m -cp "$cp" io.metalforge.power.redfish.internal.PowerBenchmark "$@"
