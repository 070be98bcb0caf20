#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for tests and benchmarks, from Debian's packages: no system
# service, nothing outside DIR.
#   scripts/postgres.sh start DIR [durable]   initdb in DIR, start on a free loopback port, create
#                                             the database "parkhub" with the extensions ParkHub
#                                             uses; prints its URL. Without "durable" the cluster
#                                             skips fsync (tests); with it, it syncs as in
#                                             production (benchmarks).
#   scripts/postgres.sh standby DIR PRIMARY   a hot standby of the cluster started in PRIMARY
#                                             (pg_basebackup, streaming replication) in DIR, on
#                                             a free port; prints its URL.
#   scripts/postgres.sh stop DIR              stops it (the caller removes DIR).
# As root, the server runs as the "postgres" user the package creates (initdb refuses root).
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a directory}
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -x "$bin/initdb" ] || { echo "postgresql-15 is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=scripts/free_port.sh
source "$(dirname "$0")/free_port.sh"

# Starts the cluster in $dir/data on a free port with `settings`; returns 1 when it did not start.
launch() {
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-p $port ${settings[*]}" start >/dev/null; then
      echo "$port" >"$dir/port"
      return 0
    fi
  done
  echo "PostgreSQL did not start; $dir/server.log says:" >&2
  cat "$dir/server.log" >&2
  return 1
}

settings=(-c listen_addresses=127.0.0.1 -c "unix_socket_directories=$dir" -c max_connections=200
          -c shared_buffers=256MB)
case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U parkhub -A trust -E UTF8 --locale=C -N >"$dir/initdb.log"
    if [ "${3:-}" != durable ]; then
      settings+=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
    fi
    launch
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U parkhub -d postgres -c "CREATE DATABASE parkhub" >/dev/null
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U parkhub -d parkhub \
      -c "CREATE EXTENSION citext; CREATE EXTENSION btree_gist" >/dev/null
    echo "postgresql://parkhub@127.0.0.1:$port/parkhub"
    ;;
  standby)
    primary=${3:?the directory of the primary}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$(cat "$primary/port")" -U parkhub -D "$dir/data" \
      -R -X stream -c fast
    settings+=(-c fsync=off -c hot_standby=on -c hot_standby_feedback=on)
    launch
    echo "postgresql://parkhub@127.0.0.1:$port/parkhub"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "usage: $0 start|standby|stop DIR [durable|PRIMARY_DIR]" >&2
    exit 2
    ;;
esac
