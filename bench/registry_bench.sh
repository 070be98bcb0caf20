#!/usr/bin/env bash
# Registry read benchmark: wrk at 64 connections against one parkhub server (demo network,
# embedded SQLite), side by side in one run:
#   ceiling    GET /healthz (trivial endpoint of the same server)
#   anonymous  GET /api/v1/organizations?limit=20
#   signed-in  the same with a session cookie (session + role lookups per request)
# Prints a Markdown table (requests/s, p50, p99) and the server's peak RSS.
# Usage: bench/registry_bench.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/wrk_row.sh
source bench/wrk_row.sh
duration="${1:-15}"
binary=build/release/src/app/parkhub
[ -x "$binary" ] || scripts/build.sh release
command -v wrk >/dev/null || scripts/setup.sh

data_dir=$(mktemp -d)
log=$(mktemp)
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$data_dir" "$log"; }
trap cleanup EXIT
PARKHUB_DEMO_PASSWORD=bench-password PARKHUB_PASSWORD_COST=min \
  "$binary" --data-dir "$data_dir" serve --demo --port 0 --demo-data ../shared/data/orgs >"$log" 2>&1 &
server_pid=$!
until grep -q "listening on" "$log"; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
url=$(grep -o 'http://[^ ]*' "$log" | head -1)
url=${url%/}
cookie=$(curl -s -i -X POST -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' "$url/api/v1/auth/login" |
  grep -i '^set-cookie:' | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')

run() {  # name, path, [header]
  local name=$1 path=$2 header=${3:-}
  local args=(-t2 -c64 -d"${duration}s" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  printf '| %s | `%s` | %s |\n' "$name" "$path" "$(wrk "${args[@]}" "$url$path" | wrk_figures)"
}

echo "| run | request | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
run ceiling /healthz
run anonymous "/api/v1/organizations?limit=20"
run signed-in "/api/v1/organizations?limit=20" "Cookie: $cookie"
rss=$(awk '/VmHWM/ {print $2, $3}' "/proc/$server_pid/status")
echo
echo "Server peak RSS (VmHWM): $rss; wrk: 2 threads, 64 connections, ${duration}s per run; $(nproc) cores."
