#!/usr/bin/env bash
# Installs, builds and starts ParkHub on the embedded database with the demo network loaded.
# Prints the URL and the admin login. Extra arguments go to `parkhub serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release
# Queries are searched in the other language too, through the dictionary setup installed.
export PARKHUB_LEXICON_PATH="${PARKHUB_LEXICON_PATH:-build/lexicon/cedict_ts.u8}"
exec build/release/src/app/parkhub --data-dir "${PARKHUB_DATA_DIR:-./data}" serve --demo \
  --demo-data ../shared/data/orgs --web-root web/dist "$@"
