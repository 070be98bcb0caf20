#!/usr/bin/env bash
# Builds the server (CMake preset, default "release") and the web app into web/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --parallel "$(nproc)"
if [ "$preset" = "release" ]; then
  (cd web && npm run --silent build >/dev/null)
fi
