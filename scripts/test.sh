#!/usr/bin/env bash
# Installs, builds and runs every test: C++ unit and integration tests (ctest) on SQLite and again
# on a throw-away PostgreSQL cluster with a hot standby (scripts/postgres.sh), the faults of two
# instances behind nginx (scripts/faults.sh), a failover of a pg_auto_failover formation
# (scripts/failover.sh), a point-in-time restore (scripts/pitr.sh), the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, the browser tests, and each fuzz target for a
# minute (PARKHUB_FUZZ_SECONDS to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== PostgreSQL (a throw-away cluster and a hot standby of it for this run) =="
postgres_dir=$(mktemp -d /tmp/parkhub-postgres-XXXXXX)
chmod 711 "$postgres_dir"
trap 'scripts/postgres.sh stop "$postgres_dir/standby"; scripts/postgres.sh stop "$postgres_dir/primary"; rm -rf "$postgres_dir"' EXIT
PARKHUB_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$postgres_dir/primary")
PARKHUB_TEST_POSTGRES_STANDBY_URL=$(scripts/postgres.sh standby "$postgres_dir/standby" "$postgres_dir/primary")
export PARKHUB_TEST_POSTGRES_URL PARKHUB_TEST_POSTGRES_STANDBY_URL
# The bilingual dictionary setup wrote, for the tests that load it.
export PARKHUB_LEXICON="$PWD/build/lexicon/cedict_ts.u8"

echo "== build (release) =="
scripts/build.sh release
echo "== unit and integration tests (the store suites on SQLite and PostgreSQL) =="
ctest --preset release -j "$(nproc)" --timeout 300
echo "== unit and integration tests again, every service on PostgreSQL =="
PARKHUB_TEST_DATABASE=postgres ctest --preset release -j "$(nproc)" --timeout 300 -E '^(portable_sql|table_owners|cli_end_to_end)$'
echo "== faults: two instances on PostgreSQL behind nginx =="
scripts/faults.sh
echo "== failover: pg_auto_failover promotes the secondary under a running instance =="
scripts/failover.sh
echo "== point-in-time restore from a base backup and the WAL archive =="
scripts/pitr.sh

echo "== build (asan + ubsan) =="
scripts/build.sh asan
echo "== unit tests under sanitizers =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --preset asan -j "$(nproc)" --timeout 600

echo "== browser tests =="
node --test tests/e2e/

echo "== fuzz targets =="
scripts/fuzz.sh "${PARKHUB_FUZZ_SECONDS:-60}"
