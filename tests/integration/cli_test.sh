#!/usr/bin/env bash
# End-to-end test of the parkhub command line: migrate, users, CSV import (dry run, bad rows,
# real), export, backup and restore, copy-data into PostgreSQL (when PARKHUB_TEST_POSTGRES_URL
# names a server), and the refusal of a schema newer than the binary knows.
# Usage: cli_test.sh PATH_TO_PARKHUB
set -euo pipefail
parkhub="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export PARKHUB_DATA_DIR="$dir/data" PARKHUB_PASSWORD_COST=min
passed=0
failed=0
check() {  # description, command...
  local description=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $description"
    failed=$((failed + 1))
  fi
}

check "migrate" bash -c "'$parkhub' migrate | grep -q 'Schema is at version'"
check "user add with role" bash -c "echo 'long enough pw' | '$parkhub' user add ops --role platform_admin --password-stdin | grep -q 'Created ops'"
check "user list shows the role" bash -c "'$parkhub' user list | grep -q 'ops.*platform_admin'"
check "user passwd" bash -c "echo 'another long pw' | '$parkhub' user passwd ops | grep -q 'Password changed'"
check "short password refused" bash -c "! (echo short | '$parkhub' user passwd ops 2>/dev/null)"

cat > "$dir/bad.csv" <<'CSV'
type,name_zh_hans,name_en,region,country,tags
university,新大学,New University,mainland,,985
planet,,Bad Row,mainland,,
CSV
check "bad import exits 2" bash -c "! '$parkhub' import organizations '$dir/bad.csv' 2>'$dir/err'"
check "bad import names line and field" grep -q "line 3, type" "$dir/err"
check "bad import wrote nothing" bash -c "[ \"\$('$parkhub' export organizations | wc -l)\" = 1 ]"

cat > "$dir/good.csv" <<'CSV'
type,name_zh_hans,name_en,region,country,tags
university,新大学,New University,mainland,,985;211
university,,Oxford,foreign,United Kingdom,
CSV
check "dry run writes nothing" bash -c "'$parkhub' import organizations '$dir/good.csv' --dry-run | grep -q '2 valid, 0 written'"
check "import writes all rows" bash -c "'$parkhub' import organizations '$dir/good.csv' 2>/dev/null | grep -q '2 written'"
check "export has the rows" bash -c "'$parkhub' export organizations -o '$dir/out.csv' && grep -q '新大学' '$dir/out.csv' && grep -q '新大學' '$dir/out.csv'"
check "export re-imports" bash -c "'$parkhub' import organizations '$dir/out.csv' --dry-run | grep -q '2 valid'"

check "backup" bash -c "'$parkhub' backup '$dir/backup.db' | grep -q 'Backed up'"
check "import more after the backup" bash -c "'$parkhub' import organizations '$dir/good.csv' >/dev/null 2>&1"
check "restore" bash -c "'$parkhub' restore '$dir/backup.db' | grep -q Restored"
check "restore brought the backup's rows back" bash -c "[ \"\$('$parkhub' export organizations | wc -l)\" = 3 ]"
check "restore refuses junk" bash -c "echo junk > '$dir/junk.db'; ! '$parkhub' restore '$dir/junk.db' 2>/dev/null"

check "config: bad env value is an error" bash -c "! PARKHUB_HTTP_PORT=eighty '$parkhub' version 2>/dev/null"
check "config: unknown TOML key is an error" bash -c "printf 'http_prot = 1\n' > '$dir/c.toml'; ! '$parkhub' --config '$dir/c.toml' version 2>/dev/null"

mkdir -p "$dir/beir"
printf '%s\n' '{"_id":"d1","title":"Graphene batteries","text":"A graphene anode."}' \
  '{"_id":"d2","title":"River sediment","text":"Sediment transport."}' > "$dir/beir/corpus.jsonl"
printf '%s\n' '{"_id":"q1","text":"graphene battery"}' > "$dir/beir/queries.jsonl"
printf 'query-id\tcorpus-id\tscore\nq1\td1\t1\n' > "$dir/beir/qrels.tsv"
check "eval prints MRR@10 for a BEIR set" bash -c "'$parkhub' eval '$dir/beir' | grep -q 'MRR@10 1.0000'"
check "eval refuses a missing set" bash -c "! '$parkhub' eval '$dir/nowhere' 2>/dev/null"

db="$dir/data/parkhub.db"
sqlite3 "$db" "INSERT INTO users (public_id, username, display_name, password_hash, created_at) VALUES ('usr_cli', 'cli', 'CLI', '', '2026-01-01T00:00:00Z'); INSERT INTO listings (public_id, kind, owner_id, author_id, state, visibility, title, published_at, created_at, updated_at) SELECT 'lst_cli', 'result', MIN(o.id), u.id, 'published', 'public', '石墨烯电池', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM organizations o, users u WHERE u.username = 'cli';"
check "reindex rebuilds from the database with progress" bash -c "'$parkhub' reindex 2>'$dir/progress' | grep -q 'Indexed 1 published listings' && grep -q '1/1' '$dir/progress'"
check "reindex leaves no scratch index behind" bash -c "[ -d '$dir/data/index' ] && [ ! -e '$dir/data/index.new' ] && [ ! -e '$dir/data/index.old' ]"

# Three entries appended to the audit ledger (as a service would, in its transaction), after the
# one the first start wrote (the policy version it installed); the running server's integrator
# signs a checkpoint of the four within a second or two.
for n in 1 2 3; do
  leaf="{\"actor\":\"cli\",\"at\":\"2026-11-30T08:00:0${n}Z\",\"details\":{},\"kind\":\"decision\",\"subject\":\"req_${n}\"}"
  hash=$( (printf '\0'; printf '%s' "$leaf") | sha256sum | cut -d' ' -f1)
  sqlite3 "$db" "INSERT INTO ledger_entries (kind, subject, leaf, leaf_hash) VALUES ('decision', 'req_${n}', '$leaf', '$hash')"
done

# SIGTERM: the server says it drains and exits 0. The coprocess pipe tells when it listens.
coproc SERVER { exec "$parkhub" serve --port 0 2>&1; }
server_pid=$SERVER_PID
listening=no
while read -r -u "${SERVER[0]}" line; do
  case "$line" in *"listening on"*) listening=yes; break ;; esac
done
check "serve starts on port 0" [ "$listening" = yes ]
integrated=no
for _ in $(seq 1 50); do
  if "$parkhub" audit verify 2>/dev/null | grep -q 'Ledger intact: 4 entries'; then integrated=yes; break; fi
  sleep 0.2
done
check "the server integrates the ledger and audit verify finds it intact" [ "$integrated" = yes ]
check "reindex is refused while the server holds the index" bash -c "! '$parkhub' reindex 2>'$dir/reindex.err'; grep -q 'open in another process' '$dir/reindex.err'"
kill -TERM "$server_pid"
rest=$(cat <&"${SERVER[0]}")
wait "$server_pid" && status=0 || status=$?
check "SIGTERM exits 0" [ "$status" -eq 0 ]
check "SIGTERM drains" grep -q "Stopped" <<<"$rest"
[ "$status" -eq 0 ] || printf 'the server printed:\n%s\n' "$rest"

# A regulator's bundle, written by the operator and checked offline with the key handed over.
check "audit export writes the bundle and tells the verifier key" bash -c "'$parkhub' audit export '$dir/bundle.json' > '$dir/export.out' && grep -q 'Wrote 4 entries' '$dir/export.out'"
key=$(tail -1 "$dir/export.out")
check "the bundle verifies offline" bash -c "'$parkhub' audit verify-bundle '$dir/bundle.json' --verifier-key '$key' | grep -q 'Bundle intact: 4 entries'"
sed 's/req_3/req_8/' "$dir/bundle.json" > "$dir/edited.json"
check "an edited bundle is rejected" bash -c "'$parkhub' audit verify-bundle '$dir/edited.json' --verifier-key '$key' > '$dir/edited.out'; [ \$? -eq 1 ] && grep -q root_mismatch '$dir/edited.out'"

sqlite3 "$db" "UPDATE ledger_entries SET leaf = REPLACE(leaf, 'req_2', 'req_9') WHERE leaf_index = 2"
check "audit verify names an entry edited in the database" bash -c "! '$parkhub' audit verify > '$dir/audit.out'; grep -q 'edited_entry' '$dir/audit.out' && grep -q 'entry #2' '$dir/audit.out'"
sqlite3 "$db" "UPDATE ledger_entries SET leaf = REPLACE(leaf, 'req_9', 'req_2') WHERE leaf_index = 2"

# copy-data into PostgreSQL, when the run has a server (scripts/test.sh starts one).
if [ -n "${PARKHUB_TEST_POSTGRES_URL:-}" ]; then
  schema="cli_$RANDOM$RANDOM"
  psql -q "$PARKHUB_TEST_POSTGRES_URL" -c "CREATE SCHEMA $schema"
  target="$PARKHUB_TEST_POSTGRES_URL?options=-c%20search_path%3D$schema%2Cpublic"
  check "copy-data verifies every table" bash -c "'$parkhub' copy-data --to '$target' 2>'$dir/copy.err' | tee '$dir/copy.out' | grep -q \"count and checksum match\""
  check "copy-data shows its progress" grep -q "\]" "$dir/copy.err"
  check "copy-data lists each table" grep -q "^organizations .* verified" "$dir/copy.out"
  check "the copy serves the same rows" bash -c "[ \"\$(PARKHUB_DATABASE_URL='$target' '$parkhub' export organizations | wc -l)\" = \"\$('$parkhub' export organizations | wc -l)\" ]"
  check "copy-data refuses a target that holds data" bash -c "! '$parkhub' copy-data --to '$target' >'$dir/again.out' 2>&1 && grep -q 'already holds data' '$dir/again.out'"
fi

sqlite3 "$dir/data/parkhub.db" "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z')"
check "serve refuses a newer schema" bash -c "! timeout 10 '$parkhub' serve --port 0 2>'$dir/serve.err'; grep -q 'newer than this binary' '$dir/serve.err'"
check "other commands refuse it too" bash -c "! '$parkhub' user list 2>/dev/null"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
