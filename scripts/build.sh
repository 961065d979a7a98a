#!/usr/bin/env bash
# Builds the web UI (when present) and the release preset: build/release/bin/spanloop.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/package.json ]; then
  (cd web && npm run --silent build)
fi
[ -f build/release/CMakeCache.txt ] || cmake --preset release
cmake --build --preset release -j "$(nproc)"
