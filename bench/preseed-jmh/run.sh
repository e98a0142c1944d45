#!/bin/sh
# Configurations composed per second over 10,000 generated machines, against references measured in the same run.
# Usage: bench/preseed-jmh/run.sh [JMH options]   (from anywhere; builds first)
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -B -q package -Pbench-preseed -pl bench/preseed-jmh -am -DskipTests
cd bench/preseed-jmh
exec java -cp "target/classes:$(cat target/classpath.txt)" io.metalforge.preseed.internal.ComposeBenchmark "$@"
