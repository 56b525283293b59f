#!/usr/bin/env bash
# Quick start 2: install, build warning-free, and run the whole test suite
# twice: once normally, once under AddressSanitizer + UndefinedBehaviorSanitizer.
# Root is needed: the end-to-end tests build network namespaces and nft rules.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
  echo "test: the suite builds network namespaces and netfilter rules; run as root" >&2
  exit 1
fi
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2 --timeout 300

BUILD_DIR=build-asan CMAKE_ARGS="-DVANTAGE_SANITIZE=ON" scripts/setup.sh
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 --timeout 600
