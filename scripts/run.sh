#!/usr/bin/env bash
# The README's main-job command: install everything, build, run spanloop.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/release/bin/spanloop version
