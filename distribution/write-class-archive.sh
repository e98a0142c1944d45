#!/usr/bin/env bash
# Writes the class-data archive bin/metalforge starts with: the classes one start of the appliance loads (JDK,
# framework and bundles), parsed, verified and laid out as the JVM maps them, so the next starts skip that work.
# Usage: write-class-archive.sh JAR ARCHIVE
# It starts JAR once through bin/metalforge (so the start loads what the launcher's starts load, and the launcher lays
# out the bundle folder it installs from, metalforge.bundles/ next to JAR) in a scratch folder on free loopback ports
# with -XX:ArchiveClassesAtExit, waits for "metalforge ready", asks GET /MAAS/api/2.0/version/ once (so the request
# path's classes are in the archive too), stops it with SIGTERM (the JVM writes the archive as it exits) and moves the
# archive into place. The archive is bound to this JDK and to JAR's path, size and time: the JVM ignores it (and
# starts without it) when they change.
# The distribution build runs this in `package` (skip with -Dmetalforge.archive.skip=true); bin/metalforge writes
# one on its first start when there is none.
set -euo pipefail
jar=$(realpath -- "$1")
archive=$(realpath -m -- "$2")
limit=${METALFORGE_ARCHIVE_TIMEOUT:-600}
work=$(mktemp -d)
pid=
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
rm -f "$archive" "$archive.part"
launcher=$(cd "$(dirname "$0")/../bin" && pwd)/metalforge
(cd "$work" && METALFORGE_JAR="$jar" METALFORGE_CDS=0 exec bash "$launcher" \
  -XX:ArchiveClassesAtExit="$archive.part" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dorg.osgi.service.http.port="$port" -Dmetalforge.boot.bind=127.0.0.1 \
  -Dmetalforge.boot.http.port="$(free_port)" -Dmetalforge.boot.tftp.port="$(free_udp_port)" \
  </dev/null >"$work/out" 2>&1) &
pid=$!
deadline=$((SECONDS + limit))
until grep -q "metalforge ready in" "$work/out" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "write-class-archive: the appliance did not get ready within ${limit} s; no archive written:" >&2
    cat "$work/out" >&2
    exit 1
  fi
  sleep 0.2
done
curl -s -o /dev/null --max-time 60 "http://127.0.0.1:$port/MAAS/api/2.0/version/" || true
kill -TERM "$pid"
wait "$pid" || true
pid=
if [ ! -s "$archive.part" ]; then
  echo "write-class-archive: the JVM wrote no archive:" >&2
  cat "$work/out" >&2
  exit 1
fi
mv "$archive.part" "$archive"
echo "write-class-archive: $archive ($(($(stat -c %s "$archive") / 1048576)) MB)"
