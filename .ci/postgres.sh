#!/usr/bin/env bash
# A throwaway PostgreSQL on 127.0.0.1 for the persistence tests (Debian packages; idempotent).
# Prints the database URL on stdout, everything else on stderr:
#   export TEAM_TEST_POSTGRES="$(.ci/postgres.sh)"
# Settings: TEAM_PG_PORT (default 55432), TEAM_PG_DATA (default /tmp/teamgraph-pg).
set -euo pipefail
port="${TEAM_PG_PORT:-55432}"
data="${TEAM_PG_DATA:-/tmp/teamgraph-pg}"
db=teamgraph

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  echo "postgres.sh: installing postgresql from Debian packages" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin="$(pg_bin)"

# initdb refuses to run as root: root runs the cluster as the postgres user.
if [ "$(id -u)" -eq 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
  mkdir -p "$data" && chown postgres:postgres "$data"
else
  as_pg() { "$@"; }
  mkdir -p "$data"
fi

if [ ! -s "$data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$data" -U postgres -A trust --no-sync >&2
fi
if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data -c fsync=off" >&2
fi
psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -tA)
if [ "$(as_pg "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
  as_pg "${psql[@]}" -c "CREATE DATABASE $db" >&2
fi
echo "postgresql://postgres@127.0.0.1:$port/$db"
