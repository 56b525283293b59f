#!/usr/bin/env bash
# Installs what vantage needs from Debian 12 packages (only what is missing)
# and builds it into build/. Idempotent; run as root on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # build
  build-essential cmake pkg-config git ccache clang-format-14
  # libraries
  libpcap-dev libssl-dev libboost-dev libboost-program-options-dev nlohmann-json3-dev
  libpugixml-dev libfmt-dev libgtest-dev libgmock-dev libnetfilter-queue-dev libmnl-dev
  # test peers and tools: real netns, netfilter, TLS servers, scanners, capture readers
  iproute2 nftables iptables openssl sslscan nmap tcpdump tshark libxml2-utils python3 python3-librouteros
  python3-jsonschema  # validates SARIF against the official schema (tests)
  # renders the HTML report headless and reads its DOM and console over DevTools (tests)
  chromium python3-websocket
)

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

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
# ccache keyed relative to the source tree, so clones and worktrees share hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVANTAGE_WERROR=ON "${launcher[@]}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"
