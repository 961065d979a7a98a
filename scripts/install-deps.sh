#!/usr/bin/env bash
# Installs everything spanloop needs to build, test and run on Debian 12. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git ca-certificates curl
  clang libclang-rt-14-dev            # libFuzzer targets and their runtime
  # libraries (DESIGN.md "Dependencies")
  libtorch-dev libopenblas-dev
  libsqlite3-dev libpq-dev
  libcpp-httplib-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libargon2-dev libssl-dev libcurl4-openssl-dev libutf8proc-dev libre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev
  libgloo-dev                         # c10d Gloo headers for data-parallel training (ml/train)
  # test services and the UI test browser
  postgresql chromium
)
# Node.js and npm may come with the base image (a nodesource build that conflicts with
# Debian's npm); only install Debian's when there is none.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
as_root apt-get install -y -q --no-install-recommends "${packages[@]}"

# libtorch's fp32 matmuls go through the system BLAS: select OpenBLAS, never the reference BLAS.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3; do
  target="/usr/lib/${multiarch}/openblas-pthread/${lib}"
  [ -e "$target" ] && as_root update-alternatives --set "${lib}-${multiarch}" "$target" >/dev/null
done

# npm packages pinned by lockfiles: the web UI, the e2e driver (playwright-core), and the reference
# tokenizer that makes test goldens.
# Re-run `npm ci` only when a lockfile changes.
for dir in web tests/e2e tests/data/ml_tokenizer; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.spanloop-lock-sha"
  sha=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sha" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
    echo "$sha" > "$stamp"
  fi
done
