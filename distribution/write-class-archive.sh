#!/usr/bin/env bash
# Writes the class-data archive bin/metalforge starts with: the classes one start of the appliance and its first image
# import load (JDK, framework and bundles), parsed, verified and laid out as the JVM maps them, so later starts, and
# the first import after each start, skip that work.
# Usage: write-class-archive.sh JAR ARCHIVE
# It starts JAR once through bin/metalforge (so the start loads what the launcher's starts load, and the launcher lays
# out the bundle folder it installs from, metalforge.bundles/ next to JAR) in a scratch folder on free loopback ports
# with -XX:ArchiveClassesAtExit, waits for "metalforge ready", asks GET /MAAS/api/2.0/version/ once, then trains it
# as an operator's first hour does: an administrator created with bin/metalforge-admin, one image import through the
# MAAS API (signed as the maas CLI signs) from training/ next to this script (a SimpleStreams mirror with tiny
# payloads, signed with an RSA key as Ubuntu's streams are, keyring.gpg its public key; served on loopback by
# python3's http.server), and the boot resources listed. It then links the classes the JVM loaded without linking
# them (LinkLoadedClasses.java, an agent loaded through jcmd), stops the appliance with SIGTERM (the JVM writes the
# archive as it exits) and moves the archive into place. Should the training fail, the archive holds the start's
# classes only, and the script says why. The archive is bound to this JDK and to JAR's path, size and time: the JVM
# ignores it (and starts without it) when they change.
# The distribution build runs this in `package` (skip with -Dmetalforge.archive.skip=true); bin/metalforge writes
# one on its first start when there is none.
set -euo pipefail
jar=$(realpath -- "$1")
archive=$(realpath -m -- "$2")
limit=${METALFORGE_ARCHIVE_TIMEOUT:-600}
work=$(mktemp -d)
pid=
mirror_pid=
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  [ -z "$mirror_pid" ] || kill "$mirror_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
rm -f "$archive" "$archive.part"
bin=$(cd "$(dirname "$0")/../bin" && pwd)
launcher=$bin/metalforge
training=$(cd "$(dirname "$0")" && pwd)/training
# the training mirror on loopback, and the default boot source pointing at it from the first start
mirror_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$training/mirror" "$mirror_port" >"$work/mirror.log" 2>&1 &
mirror_pid=$!
mkdir -p "$work/deploy"
printf '%s\n' "default_source_url=http://127.0.0.1:$mirror_port/" "default_keyring=$training/keyring.gpg" \
  >"$work/deploy/io.metalforge.simplestreams.cfg"
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
curl -s --noproxy "*" -o /dev/null --max-time 60 "http://127.0.0.1:$port/MAAS/api/2.0/version/" || true
train() {
  local key ck tk secret
  key=$(cd "$work" && METALFORGE_JAR="$jar" bash "$bin/metalforge-admin" createadmin training 2>"$work/admin.err" | tail -1)
  IFS=: read -r ck tk secret <<<"$key"
  [ -n "$secret" ] || { echo "no API key: $(cat "$work/admin.err")"; return 1; }
  api() { # METHOD PATH: one request signed with OAuth 1.0a PLAINTEXT, as the maas CLI signs
    curl -sf --noproxy "*" --max-time 60 -X "$1" "http://127.0.0.1:$port/MAAS/api/2.0/$2" -H "Authorization: OAuth \
oauth_nonce=\"$(date +%s%N)\", oauth_timestamp=\"$(date +%s)\", oauth_version=\"1.0\", \
oauth_signature_method=\"PLAINTEXT\", oauth_consumer_key=\"$ck\", oauth_token=\"$tk\", oauth_signature=\"%26$secret\""
  }
  api POST 'boot-resources/?op=import' >/dev/null || { echo "the import did not start"; return 1; }
  local waited=0
  while [ "$(api GET 'boot-resources/?op=is_importing')" != false ]; do
    [ $waited -lt 600 ] || { echo "the import did not end within 120 s"; return 1; }
    sleep 0.2; waited=$((waited + 1))
  done
  api GET boot-resources/ | grep -q '"ubuntu/noble"' || { echo "the import published no ubuntu/noble"; return 1; }
}
if ! why=$(train); then
  echo "write-class-archive: the training import failed ($why); the archive holds the start's classes only" >&2
fi
# link what the JVM loaded but never linked, so the archive holds it (LinkLoadedClasses.java next to this script says
# why): a Java agent loaded into the running JVM through jcmd, as the JDK's attach API loads one
link_loaded_classes() {
  local java_home
  java_home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')
  mkdir -p "$work/linker"
  javac -d "$work/linker" "$(dirname "$0")/LinkLoadedClasses.java" &&
    printf 'Agent-Class: io.metalforge.training.LinkLoadedClasses\n' >"$work/linker.mf" &&
    jar --create --file "$work/linker.jar" --manifest "$work/linker.mf" -C "$work/linker" . &&
    "$java_home/bin/jcmd" "$pid" JVMTI.agent_load "$java_home/lib/libinstrument.so" "$work/linker.jar"
}
if ! link_loaded_classes >"$work/linker.log" 2>&1 || ! grep -q "return code: 0" "$work/linker.log"; then
  echo "write-class-archive: the loaded classes could not be linked; the archive holds the linked ones only:" >&2
  cat "$work/linker.log" >&2
fi
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
