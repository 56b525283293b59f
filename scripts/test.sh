#!/usr/bin/env bash
# Quick start 2: install, build warning-free, and run the whole test suite:
# every test once, the network tests under each link profile (ideal, a
# 120 ms WAN, and a lossy WAN); then, built by clang-14 under AddressSanitizer
# + UndefinedBehaviorSanitizer (CMake preset 'fuzz'), the suite again on the
# ideal link and every libFuzzer target for a bounded number of executions.
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
# SETUP_SET=fuzz: the test peers and clang-14 with libFuzzer too.
SETUP_SET=fuzz CMAKE_ARGS="-DVANTAGE_BUILD_TESTS=ON ${CMAKE_ARGS:-}" scripts/setup.sh
scripts/format.sh --check  # the committed .clang-format, applied everywhere
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 600
# The .deb: built by CPack, installed with dpkg into a clean Debian root, and
# run from /usr/bin there (tests/package/README.md; it prints its cost: 1.5 min
# on 2 cores, most of it debootstrap). It needs a Debian mirror: VANTAGE_TEST_DEB=0
# leaves it out, and says so; any other failure fails the suite.
if [[ ${VANTAGE_TEST_DEB:-1} == 0 ]]; then
  echo "test: VANTAGE_TEST_DEB=0: the .deb clean-root check (tests/package) is NOT run" >&2
else
  tests/package/deb_in_clean_root.sh build
fi

# The second build: clang-14, every library and test with ASan + UBSan and
# libFuzzer's coverage hooks (build-fuzz/, shared with scripts/fuzz.sh).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-fuzz --output-on-failure -j"$JOBS" --timeout 900 -E '@(wan|lossy)$'
# Every fuzz target from its seeds, a bounded number of executions each (a
# crash fails the run; scripts/fuzz.sh TARGET SECONDS runs long campaigns).
scripts/fuzz.sh --ci "${FUZZ_RUNS:-100000}"
