#!/usr/bin/env bash
# Failover tried for real: ParkHub on a pg_auto_failover formation (Debian's
# postgresql-15-auto-failover: a monitor, a primary and a synchronous secondary, all in a temp dir
# on free loopback ports), the primary stopped at once under write load. ParkHub is given the
# formation's multi-host URL (target_session_attrs=read-write), so it needs no restart:
#   - while no node accepts writes, requests fail with 503 (never 500, never a hang);
#   - once the monitor has promoted the secondary, writes succeed again through the same process;
#   - every write acknowledged before or during the failover is on the new primary.
# scripts/test.sh runs it (it needs a release build). Prints one line per check and the time the
# failover took; exits non-zero on the first failure. KEEP_WORK=1 keeps the temp dir's logs.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${PARKHUB_BINARY:-build/release/src/app/parkhub}
[ -x "$binary" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
command -v pg_autoctl >/dev/null ||
  { echo "pg_auto_failover is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

work=$(mktemp -d /tmp/parkhub-failover-XXXXXX)
chmod 711 "$work"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work"
parkhub_pid=""
# pg_autoctl as the server's user, with its configuration and state inside $work.
autoctl() {
  local environment=(PATH=/usr/lib/postgresql/15/bin:/usr/bin:/bin XDG_CONFIG_HOME="$work/config"
                     XDG_DATA_HOME="$work/share" PG_REGRESS_SOCK_DIR="$work" PGHOST="$work")
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$work" && runuser -u postgres -- env "${environment[@]}" pg_autoctl "$@")
  else
    (cd "$work" && env "${environment[@]}" pg_autoctl "$@")
  fi
}
# Each `pg_autoctl run` in a session of its own: its supervisors retitle themselves, so only
# their session finds them all at the end.
sessions=()
run_node() {  # data-dir log
  setsid bash -c "$(declare -f autoctl); work='$work'; autoctl run --pgdata '$1'" >>"$2" 2>&1 &
  sessions+=($!)
  disown
}
cleanup() {
  set +e
  [ -n "$parkhub_pid" ] && kill -9 "$parkhub_pid" 2>/dev/null
  for node in node1 node2 monitor; do
    [ -d "$work/$node" ] && autoctl stop --pgdata "$work/$node" --immediate >/dev/null 2>&1
  done
  for session in "${sessions[@]}"; do pkill -9 -s "$session" 2>/dev/null; done
  pkill -9 -f "$work" 2>/dev/null
  sleep 1
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work" 2>/dev/null || { sleep 2; rm -rf "$work"; }
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; for f in "$work"/*.log; do echo "== $f"; tail -20 "$f"; done >&2; exit 1; }

# shellcheck source=scripts/free_port.sh
source scripts/free_port.sh

# Waits until the formation's states are exactly "$1" (e.g. "primary secondary"), up to $2 s.
await_states() {
  local wanted=$1 seconds=$2 states=""
  for _ in $(seq 1 "$((seconds * 2))"); do
    states=$(autoctl show state --pgdata "$work/monitor" --json 2>/dev/null |
      jq -r '[.[] | .current_group_state] | sort | join(" ")' 2>/dev/null || true)
    [ "$states" = "$wanted" ] && return 0
    sleep 0.5
  done
  fail "the formation did not reach \"$wanted\" in $seconds s (last: \"$states\")"
}

monitor_port=$(free_port)
autoctl create monitor --pgdata "$work/monitor" --pgport "$monitor_port" --hostname 127.0.0.1 \
  --auth trust --no-ssl >"$work/monitor.log" 2>&1
run_node "$work/monitor" "$work/monitor.log"
monitor="postgres://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover?sslmode=disable"
for _ in $(seq 1 60); do
  psql -qtA "$monitor" -c "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.5
done
psql -qtA "$monitor" -c "SELECT 1" >/dev/null || fail "the monitor does not answer on 127.0.0.1:$monitor_port"
declare -A node_ports
for node in node1 node2; do
  node_ports[$node]=$(free_port)
  autoctl create postgres --pgdata "$work/$node" --pgport "${node_ports[$node]}" \
    --hostname 127.0.0.1 --name "$node" --dbname parkhub --auth trust --no-ssl \
    --monitor "$monitor" >"$work/$node.log" 2>&1
  run_node "$work/$node" "$work/$node.log"
  [ "$node" = node1 ] && await_states "single" 120
done
await_states "primary secondary" 180
url="postgresql://postgres@127.0.0.1:${node_ports[node1]},127.0.0.1:${node_ports[node2]}/parkhub?target_session_attrs=read-write&connect_timeout=2"
psql -qtA "$url" -c "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS btree_gist" >/dev/null
synchronous=$(psql -qtA "$url" -c "SHOW synchronous_standby_names")
[ -n "$synchronous" ] || fail "the primary does not wait for its secondary"
echo "ok 1: a pg_auto_failover formation: node1 primary, node2 its synchronous secondary ($synchronous)"

port=$(free_port)
PARKHUB_DATABASE_URL=$url PARKHUB_DEMO_PASSWORD=failover-password PARKHUB_PASSWORD_COST=min \
  "$binary" --data-dir "$work/parkhub" serve --port "$port" --demo --demo-data ../shared/data/orgs \
  >"$work/parkhub.log" 2>&1 &
parkhub_pid=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$parkhub_pid" 2>/dev/null || fail "ParkHub did not start"
  sleep 0.2
done
jar="$work/cookies"
csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"failover-password"}' "$base/api/v1/auth/login" | jq -r .csrf_token)
write() {  # name: creates an organisation; prints "<http code> <id>"
  curl -s --max-time 10 -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -w ' %{http_code}' -d "{\"type\":\"enterprise\",\"region\":\"mainland\",\"name_en\":\"$1\"}" \
    "$base/api/v1/organizations" | awk '{code = $NF; $NF = ""; print code, $0}' |
    { read -r code body; echo "$code $(echo "$body" | jq -r '.id // empty' 2>/dev/null)"; }
}

: >"$work/acknowledged"
: >"$work/codes"
for i in $(seq 1 20); do
  read -r code id < <(write "Before $i")
  [ "$code" = 201 ] || fail "a write before the failover answered $code"
  echo "$id" >>"$work/acknowledged"
done

start=$(date +%s)
autoctl stop --pgdata "$work/node1" --immediate >/dev/null 2>&1
recovered=no
for i in $(seq 1 600); do
  read -r code id < <(write "During $i")
  echo "$code" >>"$work/codes"
  [ "$code" = 201 ] && echo "$id" >>"$work/acknowledged"
  if [ "$code" = 201 ] && [ "$(psql -qtA "$url" -c 'SELECT inet_server_port()')" = "${node_ports[node2]}" ]; then
    recovered=yes
    break
  fi
  sleep 0.2
done
took=$(( $(date +%s) - start ))
summary=$(sort "$work/codes" | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
grep -qv -E '^(201|503)$' "$work/codes" && fail "failover: answers other than 201 and 503: $summary"
grep -q '^503$' "$work/codes" || fail "failover: never saw the database gone ($summary)"
[ "$recovered" = yes ] || fail "failover: no write succeeded on node2 in $took s ($summary)"
echo "ok 2: node1 stopped: writes answered 503 until node2 was promoted, then 201 through the same process, after $took s ($summary)"

acknowledged=$(sort -u "$work/acknowledged" | wc -l)
grep -qv -E '^[a-z]+_[a-z0-9]+$' "$work/acknowledged" && fail "failover: an answer without an id"
present=$(psql -qtA "$url" -c "SELECT COUNT(*) FROM organizations WHERE public_id IN ($(sort -u "$work/acknowledged" | sed "s/.*/'&'/" | paste -sd,))")
[ "$present" = "$acknowledged" ] || fail "failover: $present of $acknowledged acknowledged writes on node2"
echo "ok 3: all $acknowledged acknowledged writes are on the new primary"
