#!/usr/bin/env bash
# Point-in-time restore tried for real, the way docs/operations.md describes it: a durable
# PostgreSQL cluster archiving its WAL, a base backup (pg_basebackup), ParkHub writing before and
# after a moment T, then a new cluster restored from the base backup and the archive to T
# (recovery_target_time). The restored database holds every write committed before T and none
# after, and ParkHub serves it. scripts/test.sh runs it (it needs a release build). Prints one
# line per check; exits non-zero on the first failure. Loopback only, free ports, a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${PARKHUB_BINARY:-build/release/src/app/parkhub}
[ -x "$binary" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
bin=/usr/lib/postgresql/15/bin

work=$(mktemp -d /tmp/parkhub-pitr-XXXXXX)
chmod 711 "$work"
mkdir -p "$work/archive" "$work/restored"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/archive" "$work/restored"
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
parkhub_pid=""
cleanup() {
  set +e
  [ -n "$parkhub_pid" ] && kill -9 "$parkhub_pid" 2>/dev/null
  [ -d "$work/restored/data" ] && as_owner "$bin/pg_ctl" -D "$work/restored/data" -m immediate -w stop >/dev/null 2>&1
  scripts/postgres.sh stop "$work/pg" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; for f in "$work"/*.log "$work"/*/server.log; do echo "== $f"; tail -20 "$f"; done >&2; exit 1; }

# shellcheck source=scripts/free_port.sh
source scripts/free_port.sh

database=$(scripts/postgres.sh start "$work/pg" durable)
psql -qtA "$database" -c "ALTER SYSTEM SET archive_mode = on" \
  -c "ALTER SYSTEM SET archive_command = 'test ! -f $work/archive/%f && cp %p $work/archive/%f'" >/dev/null
scripts/postgres.sh stop "$work/pg"
as_owner "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-p $(cat "$work/pg/port") -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg" \
  start >/dev/null
[ "$(psql -qtA "$database" -c 'SHOW archive_mode')" = on ] || fail "archiving is not on"

port=$(free_port)
serve() {  # database-url: starts ParkHub on $port
  PARKHUB_DATABASE_URL=$1 PARKHUB_DEMO_PASSWORD=pitr-password-1 PARKHUB_PASSWORD_COST=min \
    "$binary" --data-dir "$work/parkhub" serve --port "$port" --demo --demo-data ../shared/data/orgs \
    >>"$work/parkhub.log" 2>&1 &
  parkhub_pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
    kill -0 "$parkhub_pid" 2>/dev/null || fail "ParkHub did not start"
    sleep 0.2
  done
}
serve "$database"
base="http://127.0.0.1:$port"
jar="$work/cookies"
csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"pitr-password-1"}' "$base/api/v1/auth/login" | jq -r .csrf_token)
write() {  # name
  curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"type\":\"enterprise\",\"region\":\"mainland\",\"name_en\":\"$1\"}" "$base/api/v1/organizations" |
    jq -r .id
}
count() {  # database-url pattern
  psql -qtA "$1" -c "SELECT COUNT(*) FROM organizations WHERE name_en LIKE '$2'"
}

as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$(cat "$work/pg/port")" -U parkhub \
  -D "$work/restored/data" -X stream -c fast
echo "ok 1: a base backup while ParkHub serves, with the WAL archived"

for i in $(seq 1 10); do write "Restore before $i" >/dev/null; done
moment=$(psql -qtA "$database" -c "SELECT clock_timestamp()")
sleep 1
for i in $(seq 1 10); do write "Restore after $i" >/dev/null; done
[ "$(count "$database" 'Restore %')" = 20 ] || fail "the writes did not all land"
segment=$(psql -qtA "$database" -c "SELECT pg_walfile_name(pg_current_wal_lsn())")
psql -qtA "$database" -c "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 100); do [ -f "$work/archive/$segment" ] && break; sleep 0.1; done
[ -f "$work/archive/$segment" ] || fail "the WAL after T was not archived"
kill "$parkhub_pid"; wait "$parkhub_pid" 2>/dev/null || true; parkhub_pid=""
scripts/postgres.sh stop "$work/pg"  # the primary is lost

restored_port=$(free_port)
cat >>"$work/restored/data/postgresql.auto.conf" <<EOF
restore_command = 'cp $work/archive/%f %p'
recovery_target_time = '$moment'
recovery_target_action = 'promote'
archive_mode = off
EOF
as_owner touch "$work/restored/data/recovery.signal"
as_owner "$bin/pg_ctl" -D "$work/restored/data" -l "$work/restored/server.log" -w -t 120 \
  -o "-p $restored_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/restored" \
  start >/dev/null || fail "the restored cluster did not start"
restored="postgresql://parkhub@127.0.0.1:$restored_port/parkhub"
for _ in $(seq 1 100); do
  [ "$(psql -qtA "$restored" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.2
done
[ "$(psql -qtA "$restored" -c 'SELECT pg_is_in_recovery()')" = f ] || fail "recovery did not finish"
before=$(count "$restored" 'Restore before %')
after=$(count "$restored" 'Restore after %')
if [ "$before" != 10 ] || [ "$after" != 0 ]; then
  fail "restored to T: $before of 10 writes before T, $after of 10 after"
fi
echo "ok 2: restored to $moment: all 10 writes before it, none of the 10 after"

serve "$restored"
served=$(curl -s -G "http://127.0.0.1:$port/api/v1/organizations" --data-urlencode "q=Restore before" \
  --data-urlencode "limit=50" | jq -r .total)
[ "$served" = 10 ] || fail "ParkHub on the restored database found $served of 10"
echo "ok 3: ParkHub serves the restored database"
