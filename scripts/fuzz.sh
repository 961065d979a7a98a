#!/usr/bin/env bash
# Fuzzes the text readers (CoNLL, JSONL, CSV) for a bounded time: configures the `fuzz` preset
# (clang, libFuzzer, ASan + UBSan) in build/fuzz, builds only the fuzz targets and runs their CTest
# tests. Each target runs SPANLOOP_FUZZ_SECONDS (default 8) from tests/fuzz/corpus/<target>.
# Exits 77 (CTest: skipped) when clang or the libFuzzer runtime is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SPANLOOP_FUZZ_SECONDS:-8}

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz.sh: clang++ not found (scripts/install-deps.sh installs it); skipping" >&2
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' >"$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
  echo "fuzz.sh: the libFuzzer runtime is missing (libclang-rt-*-dev); skipping" >&2
  exit 77
fi

if [ ! -f build/fuzz/CMakeCache.txt ]; then
  cmake --preset fuzz -DSPANLOOP_FUZZ_SECONDS="$seconds" >/dev/null
else
  cmake build/fuzz -DSPANLOOP_FUZZ_SECONDS="$seconds" >/dev/null
fi
cmake --build build/fuzz --target fuzz_conll_reader fuzz_jsonl_reader fuzz_csv_reader
ctest --test-dir build/fuzz -L fuzz --output-on-failure
