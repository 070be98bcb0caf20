#!/usr/bin/env bash
# Installs, builds and runs every test: C++ unit and integration tests (ctest), the unit tests
# again under AddressSanitizer + UndefinedBehaviorSanitizer, the browser tests, and each fuzz
# target for a minute (PARKHUB_FUZZ_SECONDS to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== build (release) =="
scripts/build.sh release
echo "== unit and integration tests =="
ctest --preset release -j "$(nproc)" --timeout 300

echo "== build (asan + ubsan) =="
scripts/build.sh asan
echo "== unit tests under sanitizers =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j "$(nproc)" --timeout 600

echo "== browser tests =="
node --test tests/e2e/

echo "== fuzz targets =="
scripts/fuzz.sh "${PARKHUB_FUZZ_SECONDS:-60}"
