#!/usr/bin/env bash
# SQLite with one instance beside PostgreSQL with one and with two instances (behind nginx,
# deploy/nginx.conf), all on this machine in one run, with PostgreSQL's own reference beside them:
#   registry reads   signed-in GET /api/v1/organizations?limit=20, 64 connections
#   booking attempts 1,000 resources, random 1-hour slots, 8 and 64 connections (bench/booking.lua)
#   pgbench          the same check-and-insert in plain SQL (advisory lock on the resource, overlap
#                    check, insert, exclusion constraint), 8 clients: the reference ParkHub on
#                    PostgreSQL is held to (at least 0.8 of it)
# PostgreSQL runs durable (fsync and synchronous_commit on), as SQLite does (synchronous=FULL).
# Usage: [WORKERS=n] bench/instances_bench.sh [seconds per run, default 10]. Prints Markdown
# tables, with the CPU time each request cost the PostgreSQL backends and the ParkHub instances
# (from /proc, so where a 2-core machine's time goes is measured, not guessed). WORKERS sets
# every instance's http_workers (default: one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/wrk_row.sh
source bench/wrk_row.sh
# shellcheck source=scripts/free_port.sh
source scripts/free_port.sh
duration="${1:-10}"
binary=${PARKHUB_BINARY:-build/release/src/app/parkhub}
[ -x "$binary" ] || scripts/build.sh release
pg_bin=/usr/lib/postgresql/15/bin

work=$(mktemp -d /tmp/parkhub-instances-XXXXXX)
chmod 711 "$work"
declare -A pids urls
cleanup() {
  for name in "${!pids[@]}"; do kill "${pids[$name]}" 2>/dev/null || true; done
  for conf in "$work"/nginx-*/nginx.pid; do [ -f "$conf" ] && kill "$(cat "$conf")" 2>/dev/null; done
  scripts/postgres.sh stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT

database=$(scripts/postgres.sh start "$work/pg" durable)
export PARKHUB_DEMO_PASSWORD=bench-password PARKHUB_PASSWORD_COST=min PARKHUB_HTTP_TRUSTED_PROXIES=127.0.0.1

start() {  # name database-url [serve flags...]
  local name=$1 url=$2
  shift 2
  PARKHUB_DATABASE_URL=$url "$binary" --data-dir "$work/$name" --set "instance_name=$name" \
    --set "http_workers=${WORKERS:-0}" serve --port 0 --demo-data ../shared/data/orgs "$@" >"$work/$name.log" 2>&1 &
  pids[$name]=$!
  until grep -q "listening on" "$work/$name.log"; do
    kill -0 "${pids[$name]}" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
    sleep 0.2
  done
  local listening
  listening=$(grep -o 'http://[^ ]*' "$work/$name.log" | head -1)
  urls[$name]=${listening%/}
}
proxy() {  # name upstream-names...: starts nginx in front of them
  local name=$1 upstreams="" port
  shift
  for upstream in "$@"; do upstreams+="server ${urls[$upstream]#http://};"; done
  port=$(free_port)
  mkdir -p "$work/nginx-$name"
  sed -e "s|@PORT@|$port|; s|@UPSTREAMS@|$upstreams|; s|@PREFIX@|$work/nginx-$name|g" \
    deploy/nginx.conf >"$work/nginx-$name/nginx.conf"
  nginx -p "$work/nginx-$name" -c "$work/nginx-$name/nginx.conf" -e "$work/nginx-$name/error.log"
  urls[$name]="http://127.0.0.1:$port"
  until curl -sf "${urls[$name]}/healthz" >/dev/null; do sleep 0.1; done
}

start sqlite "sqlite:$work/sqlite/parkhub.db" --demo
start pg_a "$database" --demo
start pg_b "$database"
proxy pg_one pg_a
proxy pg_two pg_a pg_b

declare -A cookies tokens orgs resources
prepare() {  # name: a session, an API token and 1,000 resources on that deployment
  local url=${urls[$1]} jar="$work/$1.cookies" csrf owner
  csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-password"}' "$url/api/v1/auth/login" | jq -r .csrf_token)
  cookies[$1]=$(awk '$6 == "parkhub_session" {print $6 "=" $7}' "$jar")
  post() { curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d "$2" "$url$1"; }
  tokens[$1]=$(post /api/v1/auth/tokens '{"name":"bench"}' | jq -r .token)
  owner=$(curl -s "$url/api/v1/organizations?q=Tsinghua" | jq -r '.items[0].id')
  orgs[$1]=$(curl -s "$url/api/v1/organizations?q=MicroNano" | jq -r '.items[0].id')
  resources[$1]="$work/$1.resources"
  for i in $(seq 1 1000); do
    post /api/v1/resources "{\"owner_id\":\"$owner\",\"kind\":\"instrument\",\"name_en\":\"Bench $i\",\"time_zone\":\"Asia/Shanghai\",\"horizon_days\":60}" |
      jq -r .id
  done >"${resources[$1]}"
}
prepare sqlite
prepare pg_a
for proxied in pg_one pg_two; do
  cookies[$proxied]=${cookies[pg_a]}; tokens[$proxied]=${tokens[pg_a]}
  orgs[$proxied]=${orgs[pg_a]}; resources[$proxied]=${resources[pg_a]}
done

# CPU seconds (in clock ticks) the processes whose command line matches $1 have used so far.
ticks() {
  local total=0 pid fields
  for pid in $(pgrep -f "$1"); do
    read -r -a fields <"/proc/$pid/stat" 2>/dev/null || continue
    total=$((total + fields[13] + fields[14]))
  done
  echo "$total"
}
# Runs wrk with the given arguments; prints its figures and the CPU time per request of the
# PostgreSQL backends and of the ParkHub instances: "... | postgres µs | parkhub µs".
measured() {
  local hz pg0 app0 out pg1 app1 requests
  hz=$(getconf CLK_TCK)
  pg0=$(ticks "postgres: parkhub"); app0=$(ticks "instance_name=")
  out=$(wrk "$@")
  pg1=$(ticks "postgres: parkhub"); app1=$(ticks "instance_name=")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '%s | %s | %s' "$(wrk_figures <<<"$out")" \
    "$(( (pg1 - pg0) * 1000000 / hz / (requests > 0 ? requests : 1) ))" \
    "$(( (app1 - app0) * 1000000 / hz / (requests > 0 ? requests : 1) ))"
}

echo "### Registry reads (signed-in, 64 connections, ${duration}s)"
echo "| deployment | requests/s | p50 | p99 | non-2xx | PostgreSQL CPU µs/request | ParkHub CPU µs/request |"
echo "|---|---|---|---|---|---|---|"
for name in sqlite pg_a pg_one pg_two; do
  printf '| %s | %s |\n' "$name" "$(measured -t2 -c64 -d"${duration}s" --latency -H "Cookie: ${cookies[$name]}" \
    "${urls[$name]}/api/v1/organizations?limit=20")"
done

echo
echo "### Booking attempts (1,000 resources, ${duration}s)"
echo "| deployment | clients | attempts/s | p50 | p99 | refused (409) | PostgreSQL CPU µs/attempt | ParkHub CPU µs/attempt |"
echo "|---|---|---|---|---|---|---|---|"
base=$(( ($(date +%s) / 86400 + 2) * 86400 ))
for clients in 8 64; do
  for name in sqlite pg_a pg_two; do
    printf '| %s | %s | %s |\n' "$name" "$clients" "$(RESOURCES_FILE=${resources[$name]} TOKEN=${tokens[$name]} \
      ORG=${orgs[$name]} BASE=$base measured -t2 -c"$clients" -d"${duration}s" --latency \
      -s bench/booking.lua "${urls[$name]}/api/v1/bookings")"
  done
done
overlaps=$(psql -qtA "$database" -c "SELECT COUNT(*) FROM bookings a JOIN bookings b ON a.resource_id = b.resource_id AND a.id < b.id AND a.block_start < b.block_end AND b.block_start < a.block_end WHERE a.state IN ('pending','approved','checked_in') AND b.state IN ('pending','approved','checked_in')")
echo
echo "PostgreSQL bookings written: $(psql -qtA "$database" -c 'SELECT COUNT(*) FROM bookings'); overlapping active pairs: $overlaps"

psql -q "$database" <<'SQL'
CREATE TABLE bench_bookings (resource int NOT NULL, block int8range NOT NULL,
  EXCLUDE USING gist (resource WITH =, block WITH &&));
SQL
cat >"$work/book.sql" <<'SQL'
\set r random(1, 1000)
\set s random(0, 1919)
BEGIN;
SELECT pg_advisory_xact_lock(:r);
INSERT INTO bench_bookings SELECT :r, int8range(:s * 1800, :s * 1800 + 3600)
  WHERE NOT EXISTS (SELECT 1 FROM bench_bookings WHERE resource = :r
                    AND block && int8range(:s * 1800, :s * 1800 + 3600));
END;
SQL
port=$(cat "$work/pg/port")
echo
# pgbench's backends end with it: their time is in the server's children's time by then.
ended_backends() {
  local fields
  read -r -a fields <"/proc/$(head -1 "$work/pg/data/postmaster.pid")/stat"
  echo $((fields[15] + fields[16]))
}
for clients in 8 64; do
  pg0=$(ended_backends)
  out=$("$pg_bin/pgbench" -n -h 127.0.0.1 -p "$port" -U parkhub -c "$clients" -j 2 -T "$duration" \
    -f "$work/book.sql" parkhub 2>/dev/null)
  sleep 0.5
  pg1=$(ended_backends)
  tps=$(awk '/^tps/ {print $3; exit}' <<<"$out")
  done_count=$(awk '/number of transactions actually processed/ {print $NF}' <<<"$out")
  echo "pgbench reference (same check-and-insert, $clients clients): $tps attempts/s," \
    "PostgreSQL CPU $(( (pg1 - pg0) * 1000000 / $(getconf CLK_TCK) / (done_count > 0 ? done_count : 1) )) µs/attempt"
done
echo "Machine: $(nproc) cores; wrk, nginx, the instances and PostgreSQL share them."
