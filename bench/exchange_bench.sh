#!/usr/bin/env bash
# The exchange's search at scale, in one run, side by side:
#   1. parkhub_exchange_bench: a corpus of N listings from the shared texts, indexed by ParkHub's
#      index, Xapian 1.4, SQLite FTS5 and PostgreSQL 15 full text (a throw-away cluster on a Unix
#      socket, no TCP); build rate, query latency p50/p99 with and without filters, size; a
#      third of the queries in the other language, every query with its translation (CC-CEDICT);
#   2. `parkhub reindex` over the same N listings written into a ParkHub database: the
#      production build path (database → analyser → index → snapshot);
#   3. `parkhub serve` on that data and wrk at 32 connections on /api/v1/exchange/search, with
#      the server's start time (snapshot load) and peak RSS.
# Usage: bench/exchange_bench.sh [listings, default 1000000] [seconds of HTTP load, default 10]
#        [queries for the peers, default 40: they take seconds each at a million listings;
#         ParkHub runs 1,000, the first of which are the same]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/wrk_row.sh
source bench/wrk_row.sh
listings="${1:-1000000}"
duration="${2:-10}"
peer_queries="${3:-40}"
binary=build/release/src/app/parkhub
tool=build/release/bench/parkhub_exchange_bench
[ -x "$binary" ] && [ -x "$tool" ] || scripts/build.sh release
command -v wrk >/dev/null || scripts/setup.sh
pg_bin=/usr/lib/postgresql/15/bin
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
if [ ! -x "$pg_bin/initdb" ]; then
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends postgresql-15
fi

work=$(mktemp -d /tmp/parkhub-exchange-bench.XXXXXX)
chmod 755 "$work"
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then as_postgres=(runuser -u postgres --); chown postgres "$work"; fi
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o \
  "-c listen_addresses='' -k $work -p 5499 -c shared_buffers=1GB -c maintenance_work_mem=1GB -c work_mem=64MB -c max_wal_size=8GB" \
  start >/dev/null

mkdir -p "$work/data"
"$binary" --data-dir "$work/data" migrate >/dev/null
echo "## Engines on $listings listings ($(nproc) cores)"
"$tool" --listings "$listings" --work "$work" --pg-host "$work" --pg-port 5499 \
  --parkhub-db "$work/data/parkhub.db" --queries 1000 --peer-queries "$peer_queries" \
  --lexicon build/lexicon/cedict_ts.u8

started=$(date +%s.%N)
"$binary" --data-dir "$work/data" reindex 2>/dev/null
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
echo
echo "parkhub reindex (database → analyser → index → snapshot): $(echo "$listings / $elapsed" | bc) listings/s (${elapsed%.*} s)"

started=$(date +%s.%N)
PARKHUB_LEXICON_PATH=build/lexicon/cedict_ts.u8 "$binary" --data-dir "$work/data" serve --port 0 >"$work/serve.log" 2>&1 &
server_pid=$!
until grep -q "listening on" "$work/serve.log"; do kill -0 "$server_pid" || exit 1; sleep 0.1; done
echo "parkhub serve ready in $(echo "$(date +%s.%N) - $started" | bc | cut -c1-5) s (loads the snapshot)"
url=$(grep -o 'http://[^ ]*' "$work/serve.log" | head -1); url=${url%/}
echo
echo "| HTTP: GET /api/v1/exchange/search, 32 connections | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
for facets in 0 1; do
  label=$([ "$facets" = 1 ] && echo ", with facets" || echo "")
  printf '| %s queries in turn%s, %ss |' "$(wc -l <"$work/queries.txt")" "$label" "$duration"
  FACETS=$facets QUERIES_FILE="$work/queries.txt" wrk -t2 -c32 -d"${duration}s" --latency \
    -s bench/exchange_search.lua "$url/api/v1/exchange/search" | wrk_figures
  echo " |"
done
echo
# RSS counts the pages of the database file that SQLite's memory map touched (file-backed,
# reclaimable page cache) besides the process's own memory: both are shown.
mb() { grep "^$1:" /proc/$server_pid/status | awk '{print int($2/1024)}'; }
echo "server peak RSS: $(mb VmHWM) MB (at the end: $(mb RssAnon) MB anonymous, $(mb RssFile) MB of mapped files); index snapshot: $(du -sm "$work/data/index" | cut -f1) MB"
