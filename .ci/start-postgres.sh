#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:55432 (trust authentication, user postgres) for the
# persistence tests, and prints the JDBC URL to export as METALFORGE_TEST_PG_URL:
#   export METALFORGE_TEST_PG_URL=$(.ci/start-postgres.sh)
# Needs the Debian package postgresql (initdb/pg_ctl; pg_ctl refuses to run as root, so it runs as postgres).
# Stop it with: .ci/start-postgres.sh stop
set -euo pipefail
PORT=${METALFORGE_TEST_PG_PORT:-55432}
DIR=${METALFORGE_TEST_PG_DIR:-/tmp/metalforge-pg-$PORT}

bin=""
for candidate in "$(command -v initdb 2>/dev/null || true)" /usr/lib/postgresql/*/bin/initdb; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then bin=$(dirname "$candidate"); break; fi
done
if [ -z "$bin" ]; then
  echo "initdb not found: apt-get install -y postgresql" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

if [ "${1:-start}" = stop ]; then
  as_postgres "$bin/pg_ctl -D $DIR/data -m fast stop" >&2 || true
  exit 0
fi

if [ -f "$DIR/data/postmaster.pid" ]; then
  as_postgres "$bin/pg_ctl -D $DIR/data -m fast stop" >&2 || true
fi
rm -rf "$DIR"
mkdir -p "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
as_postgres "$bin/initdb -D $DIR/data -A trust -U postgres" >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
as_postgres "$bin/pg_ctl -D $DIR/data -l $DIR/server.log -o \"-p $PORT -k $DIR -c listen_addresses=127.0.0.1\" -w start" >&2 \
  || { cat "$DIR/server.log" >&2; exit 1; }
echo "jdbc:postgresql://127.0.0.1:$PORT/postgres"
