#!/usr/bin/env bash
# Quick start 1: install what the demo needs, build only the vantage binary
# (no tests, no test peers; precompiled headers and no debug info: a first
# build has no compiler cache to help), and audit the built-in demo router.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_SET=demo BUILD_TARGET=vantage \
  CMAKE_ARGS="-DVANTAGE_BUILD_TESTS=OFF -DVANTAGE_QUICK_BUILD=ON ${CMAKE_ARGS:-}" scripts/setup.sh
exec build/vantage demo "$@"
