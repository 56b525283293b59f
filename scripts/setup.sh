#!/usr/bin/env bash
# Installs what vantage needs from Debian 12 packages (only what is missing)
# and builds it into build/. Idempotent; run as root on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the demo needs: the compiler, CMake and the libraries vantage links.
DEMO_PACKAGES=(
  build-essential cmake pkg-config git ccache
  libpcap-dev libssl-dev libboost-dev libboost-program-options-dev nlohmann-json3-dev
  libpugixml-dev libfmt-dev libnetfilter-queue-dev libmnl-dev
  libnetfilter-log-dev  # the lab's /log reads the firewall's dropped packets over NFLOG (lab/nflog.*)
  libyaml-cpp-dev  # Ansible YAML inventories (fleet/yaml_inventory.cpp)
)
# What the tests add: gtest, formatting, packaging checks, and the test peers
# (real netns, netfilter, TLS servers, scanners, capture readers).
TEST_PACKAGES=(
  clang-format-14 libgtest-dev libgmock-dev
  iproute2 nftables iptables openssl sslscan nmap tcpdump tshark libxml2-utils python3 python3-librouteros
  python3-jsonschema  # validates SARIF against the official schema (tests)
  file  # CPack's dpkg-shlibdeps computes the .deb's Depends (tests/package)
  debootstrap man-db  # the clean root the .deb is installed into; man -l renders the pages
  # renders the HTML report headless and reads its DOM and console over DevTools (tests)
  chromium python3-websocket
)
# Fuzzing (scripts/fuzz.sh, preset 'fuzz'): clang with libFuzzer and its ASan/UBSan runtimes.
FUZZ_PACKAGES=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
# SETUP_SET=demo: only what `vantage demo` needs, tests not built (scripts/demo.sh);
# test (default): the test suite too; fuzz: the test suite and the fuzzing toolchain.
PACKAGES=("${DEMO_PACKAGES[@]}")
[[ ${SETUP_SET:-test} == demo ]] || PACKAGES+=("${TEST_PACKAGES[@]}")
[[ ${SETUP_SET:-test} != fuzz ]] || PACKAGES+=("${FUZZ_PACKAGES[@]}")

t0=$SECONDS
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages: ${missing[*]}; run as root (sudo $0)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

t1=$SECONDS

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
# ccache keyed relative to the source tree, so clones and worktrees share hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# CMAKE_ARGS last: it overrides these (demo.sh turns VANTAGE_QUICK_BUILD on).
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVANTAGE_WERROR=ON -DVANTAGE_QUICK_BUILD=OFF \
  "${launcher[@]}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" ${BUILD_TARGET:+--target "$BUILD_TARGET"}
# The phases' cost (bench/demo_time.sh reads this line).
echo "setup: packages $((t1 - t0)) s, configure and build $((SECONDS - t1)) s" >&2
