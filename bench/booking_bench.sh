#!/usr/bin/env bash
# Booking throughput through the HTTP API, durable (synchronous=FULL), side by side with the
# store's raw ceiling (single-row durable commits/s) in one run:
#   low contention: 1,000 resources; high contention: 5 resources; with 8 and 64 clients.
# Every run ends with an overlap check on the database (must be 0).
# Usage: bench/booking_bench.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/wrk_row.sh
source bench/wrk_row.sh
duration="${1:-10}"
binary=${PARKHUB_BINARY:-build/release/src/app/parkhub}
ceiling_tool=build/release/bench/parkhub_store_ceiling
[ -x "$binary" ] && [ -x "$ceiling_tool" ] || scripts/build.sh release

work=$(mktemp -d)
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
PARKHUB_DEMO_PASSWORD=bench-password PARKHUB_PASSWORD_COST=min \
  "$binary" --data-dir "$work/data" --set "http_workers=${WORKERS:-0}" serve --demo --port 0 \
  --demo-data ../shared/data/orgs >"$work/log" 2>&1 &
server_pid=$!
until grep -q "listening on" "$work/log"; do kill -0 "$server_pid" || exit 1; sleep 0.2; done
url=$(grep -o 'http://[^ ]*' "$work/log" | head -1); url=${url%/}

login() {
  curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"bench-password\"}" "$url/api/v1/auth/login" | jq -r .csrf_token
}
csrf=$(login admin)
post() { curl -s -b "$work/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d "$2" "$url$1"; }
owner=$(curl -s "$url/api/v1/organizations?q=Tsinghua" | jq -r '.items[0].id')
org=$(curl -s "$url/api/v1/organizations?q=MicroNano" | jq -r '.items[0].id')
token=$(post /api/v1/auth/tokens '{"name":"bench"}' | jq -r .token)

make_resources() {  # count file
  : >"$2"
  for i in $(seq 1 "$1"); do
    post /api/v1/resources "{\"owner_id\":\"$owner\",\"kind\":\"instrument\",\"name_en\":\"Bench $RANDOM $i\",\"time_zone\":\"Asia/Shanghai\",\"horizon_days\":60}" |
      jq -r .id >>"$2"
  done
}
make_resources 1000 "$work/low"
make_resources 5 "$work/high"
base=$(( ($(date +%s) / 86400 + 2) * 86400 ))

run() {  # label file connections
  local figures
  figures=$(RESOURCES_FILE="$2" TOKEN="$token" ORG="$org" BASE="$base" \
            wrk -t2 -c"$3" -d"${duration}s" --latency -s bench/booking.lua "$url/api/v1/bookings" |
            wrk_figures)
  printf '| %s | %s | %s |\n' "$1" "$3" "$figures"
}

echo "| contention | clients | attempts/s | p50 | p99 | refused (409) |"
echo "|---|---|---|---|---|---|"
run "low (1,000 resources)" "$work/low" 8
run "low (1,000 resources)" "$work/low" 64
run "high (5 resources)" "$work/high" 8
run "high (5 resources)" "$work/high" 64
overlaps=$(sqlite3 "$work/data/parkhub.db" "SELECT COUNT(*) FROM bookings a JOIN bookings b ON a.resource_id = b.resource_id AND a.id < b.id WHERE a.state IN ('pending','approved','checked_in') AND b.state IN ('pending','approved','checked_in') AND a.block_start < b.block_end AND b.block_start < a.block_end")
bookings=$(sqlite3 "$work/data/parkhub.db" "SELECT COUNT(*) FROM bookings")
if [ -n "${PERF_PID_FILE:-}" ]; then echo "$server_pid" > "$PERF_PID_FILE"; fi
for threads in 8 64; do
  printf 'store ceiling (%s threads, single-row durable commits/s): %s\n' "$threads" \
    "$("$ceiling_tool" "$work" "$threads" "$duration")"
done
echo "bookings written: $bookings; overlapping active pairs: $overlaps"
