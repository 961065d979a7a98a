#!/usr/bin/env bash
# The README's test command: install everything, start PostgreSQL, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
SPANLOOP_TEST_PG_URL=$(scripts/start-postgres.sh)
export SPANLOOP_TEST_PG_URL
scripts/build.sh
ctest --preset release -j "$(nproc)" "$@"
