#!/usr/bin/env bash
# Faults of a ParkHub deployment of two instances on one PostgreSQL database behind nginx
# (deploy/nginx.conf), each tried for real (scripts/test.sh runs this; it needs a release build):
#   1. a listing published through instance A is found through instance B, and how soon;
#   2. a booking storm through both instances at once on the same slots: zero overlaps and
#      exactly one winner per contested slot;
#   3. kill -9 of an instance under write load, ROUNDS times (default 20): every acknowledged
#      write is present;
#   4. PostgreSQL restarted under load: requests fail with 503 (never 500, never a hang) while it
#      is down, and the instances recover without a restart;
#   5. an instance killed while a listing is published elsewhere catches up when it restarts.
# Prints one line per check and exits non-zero on the first failure. Loopback only, free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-20}
binary=${PARKHUB_BINARY:-build/release/src/app/parkhub}
[ -x "$binary" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

work=$(mktemp -d /tmp/parkhub-faults-XXXXXX)
chmod 711 "$work"  # the PostgreSQL server runs as its own user
declare -A pids ports
cleanup() {
  for name in "${!pids[@]}"; do kill -9 "${pids[$name]}" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  scripts/postgres.sh stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; for f in "$work"/*.log; do echo "== $f"; tail -20 "$f"; done >&2; exit 1; }

# shellcheck source=scripts/free_port.sh
source scripts/free_port.sh

database=$(scripts/postgres.sh start "$work/pg" durable)
export PARKHUB_DATABASE_URL=$database PARKHUB_DEMO_PASSWORD=faults-password PARKHUB_PASSWORD_COST=min
export PARKHUB_HTTP_TRUSTED_PROXIES=127.0.0.1

start_instance() {  # name [--demo]
  local name=$1
  shift
  ports[$name]=${ports[$name]:-$(free_port)}
  "$binary" --data-dir "$work/$name" --set "instance_name=$name" serve --port "${ports[$name]}" \
    --demo-data ../shared/data/orgs "$@" >>"$work/$name.log" 2>&1 &
  pids[$name]=$!
  until curl -sf "http://127.0.0.1:${ports[$name]}/healthz" >/dev/null; do
    kill -0 "${pids[$name]}" 2>/dev/null || fail "instance $name did not start"
    sleep 0.1
  done
}
kill_instance() { kill -9 "${pids[$1]}"; wait "${pids[$1]}" 2>/dev/null || true; unset "pids[$1]"; }

start_instance a --demo
start_instance b

proxy_port=$(free_port)
mkdir -p "$work/nginx"
upstreams="server 127.0.0.1:${ports[a]} max_fails=0; server 127.0.0.1:${ports[b]} max_fails=0;"
sed -e "s|@PORT@|$proxy_port|; s|@UPSTREAMS@|$upstreams|; s|@PREFIX@|$work/nginx|g" \
  deploy/nginx.conf >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
proxy="http://127.0.0.1:$proxy_port"
until curl -sf "$proxy/healthz" >/dev/null; do sleep 0.1; done

# Signs in through `base` and prints "cookie-file csrf".
login() {  # base user
  local jar="$work/cookies.$RANDOM"
  local csrf
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"faults-password\"}" "$1/api/v1/auth/login" | jq -r .csrf_token)
  echo "$jar $csrf"
}
# POST/GET as a signed-in session: call base session method path [body]
call() {
  local base=$1 jar=${2%% *} csrf=${2##* } method=$3 path=$4 body=${5:-}
  if [ -n "$body" ]; then
    curl -s --max-time 10 -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
      -X "$method" -d "$body" "$base$path"
  else
    curl -s --max-time 10 -b "$jar" -H "X-CSRF-Token: $csrf" -X "$method" "$base$path"
  fi
}
url_of() { echo "http://127.0.0.1:${ports[$1]}"; }

hkust_on_a=$(login "$(url_of a)" hkust)
hkust_org=$(curl -s "$(url_of a)/api/v1/organizations?q=HKUST" | jq -r '.items[0].id')

publish() {  # base session title: prints the listing id
  local id
  id=$(call "$1" "$2" POST /api/v1/exchange/listings "{\"kind\":\"result\",\"owner_id\":\"$hkust_org\",\"visibility\":\"public\",\"title\":\"$3\",\"summary\":\"faults\",\"trl\":5,\"details\":{\"ip_status\":\"granted\",\"patent_numbers\":[\"CN1\"],\"transfer_modes\":[\"licence\"],\"negotiable\":true}}" | jq -r .id)
  [ -n "$id" ] && [ "$id" != null ] || fail "could not create a listing through $1"
  call "$1" "$2" POST "/api/v1/exchange/listings/$id/publish" '{}' >/dev/null
  echo "$id"
}
found_on() {  # instance query: prints how many hits
  curl -s -G "$(url_of "$1")/api/v1/exchange/search" --data-urlencode "q=$2" | jq -r .total
}

# 1. Published on A, found on B.
word="zeolite$RANDOM"
publish "$(url_of a)" "$hkust_on_a" "Faults $word membrane" >/dev/null
start=$(date +%s%N)
until [ "$(found_on b "$word")" = 1 ]; do
  [ $(( $(date +%s%N) - start )) -lt 10000000000 ] || fail "B did not find A's listing in 10 s"
  sleep 0.01
done
echo "ok 1: a listing published on A was found on B after $(( ($(date +%s%N) - start) / 1000000 )) ms"

# 2. A booking storm through both instances: 10 contested slots, 16 clients each (8 via A, 8 via B).
admin_on_a=$(login "$(url_of a)" admin)
owner=$(curl -s "$(url_of a)/api/v1/organizations?q=Tsinghua" | jq -r '.items[0].id')
resource=$(call "$(url_of a)" "$admin_on_a" POST /api/v1/resources \
  "{\"owner_id\":\"$owner\",\"kind\":\"instrument\",\"name_en\":\"Storm $RANDOM\",\"time_zone\":\"Asia/Shanghai\",\"horizon_days\":60}" | jq -r .id)
[ -n "$resource" ] && [ "$resource" != null ] || fail "could not create the resource"
admin_token=$(call "$(url_of a)" "$admin_on_a" POST /api/v1/auth/tokens '{"name":"faults"}' | jq -r .token)
booker_org=$(curl -s "$(url_of a)/api/v1/organizations?q=MicroNano" | jq -r '.items[0].id')
base=$(( ($(date +%s) / 86400 + 3) * 86400 ))
: >"$work/storm"
for slot in $(seq 0 9); do
  starts=$(date -u -d "@$((base + slot * 3600))" +%Y-%m-%dT%H:%M:%SZ)
  ends=$(date -u -d "@$((base + slot * 3600 + 3600))" +%Y-%m-%dT%H:%M:%SZ)
  for client in $(seq 1 16); do
    target=$([ $((client % 2)) = 0 ] && url_of a || url_of b)
    echo "$target $slot-$client $starts $ends"
  done
done | xargs -P 32 -L 1 bash -c 'curl -s -o /dev/null -w "%{http_code}\n" --max-time 30 \
  -H "Authorization: Bearer '"$admin_token"'" -H "Content-Type: application/json" \
  -d "{\"resource_id\":\"'"$resource"'\",\"organization_id\":\"'"$booker_org"'\",\"starts_at\":\"$2\",\"ends_at\":\"$3\",\"idempotency_key\":\"$1\"}" \
  "$0/api/v1/bookings" >>'"$work/storm"
won=$(grep -c '^201$' "$work/storm" || true)
lost=$(grep -c '^409$' "$work/storm" || true)
[ "$won" = 10 ] || fail "storm: $won winners for 10 slots ($(sort "$work/storm" | uniq -c | tr '\n' ' '))"
[ "$lost" = 150 ] || fail "storm: $lost refusals, expected 150 ($(sort "$work/storm" | uniq -c | tr '\n' ' '))"
overlaps=$(psql -qtA "$database" -c "SELECT COUNT(*) FROM bookings a JOIN bookings b ON a.resource_id = b.resource_id AND a.id < b.id AND a.block_start < b.block_end AND b.block_start < a.block_end WHERE a.state IN ('pending','approved','checked_in','held') AND b.state IN ('pending','approved','checked_in','held')")
[ "$overlaps" = 0 ] || fail "storm: $overlaps overlapping bookings"
echo "ok 2: 160 bookings raced through two instances for 10 slots: 10 won, 150 refused, 0 overlaps"

# 3. kill -9 under write load: every acknowledged write survives.
admin_on_b=$(login "$(url_of b)" admin)
: >"$work/acknowledged"
for round in $(seq 1 "$rounds"); do
  (
    i=0
    while true; do
      i=$((i + 1))
      id=$(call "$(url_of a)" "$admin_on_a" POST /api/v1/organizations \
        "{\"type\":\"enterprise\",\"region\":\"mainland\",\"name_en\":\"Kill $round-$i\"}" 2>/dev/null |
        jq -r '.id // empty' 2>/dev/null || true)
      [ -n "$id" ] && echo "$id" >>"$work/acknowledged"
    done
  ) &
  writer=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill_instance a
  kill "$writer" 2>/dev/null || true
  wait "$writer" 2>/dev/null || true
  start_instance a  # the session lives in the database: it outlives the instance
done
acknowledged=$(sort -u "$work/acknowledged" | wc -l)
missing=0
while read -r id; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$(url_of b)/api/v1/organizations/$id")
  [ "$status" = 200 ] || missing=$((missing + 1))
done < <(sort -u "$work/acknowledged")
[ "$acknowledged" -gt 0 ] || fail "kill -9: no write was acknowledged"
[ "$missing" = 0 ] || fail "kill -9: $missing of $acknowledged acknowledged writes are missing"
echo "ok 3: $rounds rounds of kill -9 under write load: all $acknowledged acknowledged writes present"

# 4. PostgreSQL restarted under load: 503 while it is down, never 500 or a hang; then recovery.
: >"$work/codes"
(
  while true; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$proxy/api/v1/organizations?limit=5" >>"$work/codes"
  done
) &
reader=$!
sleep 1
as_owner=()
[ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
"${as_owner[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg/data" -m immediate -w stop >/dev/null
sleep 2
"${as_owner[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg/data" -l "$work/pg/server.log" \
  -o "-p $(cat "$work/pg/port") -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg" \
  -w start >/dev/null
recovered=no
for _ in $(seq 1 100); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url_of a)/api/v1/organizations?limit=5")" = 200 ] &&
     [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url_of b)/api/v1/organizations?limit=5")" = 200 ]; then
    recovered=yes
    break
  fi
  sleep 0.1
done
kill "$reader"; wait "$reader" 2>/dev/null || true
summary=$(sort "$work/codes" | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
grep -qv -E '^(200|503)$' "$work/codes" && fail "PostgreSQL restart: answers other than 200 and 503: $summary"
grep -q '^503$' "$work/codes" || fail "PostgreSQL restart: never saw it down ($summary)"
[ "$recovered" = yes ] || fail "PostgreSQL restart: the instances did not recover"
write=$(call "$(url_of b)" "$admin_on_b" POST /api/v1/organizations \
  '{"type":"enterprise","region":"mainland","name_en":"After The Restart"}' | jq -r '.id // empty')
[ -n "$write" ] || fail "PostgreSQL restart: a session from before cannot write after"
echo "ok 4: PostgreSQL restarted under load: answers $summary; both instances recovered by themselves"

# 5. An instance that was down while a listing was published catches up when it restarts.
kill_instance b
word="perovskite$RANDOM"
hkust_on_a=$(login "$(url_of a)" hkust)
publish "$(url_of a)" "$hkust_on_a" "Faults $word cell" >/dev/null
start_instance b
[ "$(found_on b "$word")" = 1 ] || fail "B did not catch up with what was published while it was down"
echo "ok 5: an instance killed while A published found the listing as soon as it was back"
