#!/usr/bin/env bash
# Deployment benchmark: N machines deployed at once through the MAAS API and played over HTTP by their
# "installers" (preseed, curtin user-data, three events, netboot_off, the installed system's user-data), against the
# machines, metadata and API servlets on Jetty with the embedded database; prints deployments per minute and the
# p50/p99 latency of the API and metadata requests made meanwhile.
# Usage: bench/deploy.sh [MACHINES=200] [CLIENT_THREADS=16]
set -euo pipefail
cd "$(dirname "$0")/.."
module=bundles/io.metalforge.machines
# package, not test-compile: the OS bundles embed their shared support code only in their jars
mvn -B -q -o -pl "$module" -am package -DskipTests dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat $module/target/bench.classpath)"
exec java -Xmx512m -Dh2.bindAddress=127.0.0.1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.metalforge.http.internal.DeployBenchmark "$@"
