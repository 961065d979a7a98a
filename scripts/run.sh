#!/usr/bin/env bash
# The README's main-job command: install everything, build, then start the annotation server on
# SQLite in ./spanloop-data with the demo workspace and "patent-claims" dataset (20 claims,
# span labels Material/Component/Process/Property/Value, model suggestions on some).
# Open http://127.0.0.1:6900 and log in as annotator / annotate-demo (or owner / spanloop-demo);
# the SDK works with api_url=http://127.0.0.1:6900 and the owner API key printed at first start.
# Every serve option can be changed through SPANLOOP_* variables (docs/server.md), e.g.
# SPANLOOP_PORT=7000 scripts/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/release/bin/spanloop serve --demo \
  --data-dir "${SPANLOOP_DATA_DIR:-./spanloop-data}" \
  --host "${SPANLOOP_HOST:-127.0.0.1}" --port "${SPANLOOP_PORT:-6900}"
