#!/usr/bin/env bash
# A private PostgreSQL 15 server for the test suite: its own data directory and port,
# run as the `postgres` system user (the server refuses to run as root). Tuned for tests:
# no fsync, and no autovacuum (whose workers would hold the template database the tests
# copy each fresh database from).
#   tools/postgres.sh start   -> initialises if needed, starts, prints the database URL
#   tools/postgres.sh stop
set -euo pipefail
PORT="${SANDYQ_PG_PORT:-54329}"
BASE="${SANDYQ_PG_DIR:-/tmp/sandyq-postgres-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
URL="postgresql+psycopg://sandyq:sandyq@127.0.0.1:$PORT/sandyq"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    [ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
    if [ ! -f "$BASE/data/PG_VERSION" ]; then
      mkdir -p "$BASE"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$BASE"
      as_postgres "$BIN/initdb" -D "$BASE/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_postgres "$BIN/pg_ctl" -D "$BASE/data" status >/dev/null 2>&1; then
      as_postgres "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w \
        -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off" \
        start >/dev/null
    fi
    psql_cmd=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$(as_postgres "${psql_cmd[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='sandyq'")" != 1 ]; then
      as_postgres "${psql_cmd[@]}" -c "CREATE ROLE sandyq LOGIN PASSWORD 'sandyq' CREATEDB"
    fi
    if [ "$(as_postgres "${psql_cmd[@]}" -c "SELECT 1 FROM pg_database WHERE datname='sandyq'")" != 1 ]; then
      as_postgres "${psql_cmd[@]}" -c "CREATE DATABASE sandyq OWNER sandyq"
      as_postgres "${psql_cmd[@]}" -d sandyq -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    fi
    echo "$URL"
    ;;
  stop)
    as_postgres "$BIN/pg_ctl" -D "$BASE/data" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2; exit 2
    ;;
esac
