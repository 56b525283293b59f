#!/usr/bin/env bash
# Quick start 2: install, build warning-free, and run the whole test suite:
# every test once, the network tests under each link profile (ideal, a
# 120 ms WAN, and a lossy WAN); then again under AddressSanitizer +
# UndefinedBehaviorSanitizer on the ideal link.
# Root is needed: the end-to-end tests build network namespaces and netfilter rules.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
  echo "test: the suite builds network namespaces and netfilter rules; run as root" >&2
  exit 1
fi
# Profiled tests wait on slow links in private namespaces: more of them than
# cores can run at once.
JOBS=${TEST_JOBS:-4}
# The cache may hold demo.sh's VANTAGE_BUILD_TESTS=OFF: turn the tests back on.
CMAKE_ARGS="-DVANTAGE_BUILD_TESTS=ON ${CMAKE_ARGS:-}" scripts/setup.sh
scripts/format.sh --check  # the committed .clang-format, applied everywhere
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 600
# The .deb: built by CPack, installed with dpkg into a clean Debian root, and
# run from /usr/bin there (tests/package/README.md; its cost is printed).
# Opt-in (VANTAGE_TEST_DEB=1): debootstrap alone takes minutes that the
# CI budget does not have yet.
if [[ ${VANTAGE_TEST_DEB:-0} == 1 ]]; then tests/package/deb_in_clean_root.sh build; fi

BUILD_DIR=build-asan CMAKE_ARGS="-DVANTAGE_SANITIZE=ON" scripts/setup.sh
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS" --timeout 900 -E '@(wan|lossy)$'
