#!/usr/bin/env bash
# Quick start 1: install, build, and audit the built-in demo router.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/vantage demo "$@"
