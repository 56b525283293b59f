#!/bin/bash
# Offline analysis throughput: `vantage analyze` vs `tshark -r` on the same
# large synthetic pcap (TLS, plaintext RouterOS API and bulk TCP flows, with
# reordering and retransmissions), generated here and deleted afterwards; and
# against the reading floor, `tcpdump -r FILE -w /dev/null` (libpcap reading
# and writing every packet, no analysis): what no analyzer can beat.
#
# usage: bench/capture_vs_tshark.sh [VANTAGE_BINARY] [SIZE_MB (default 600)]   env: RUNS (3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vantage=${1:-$here/../build/vantage}
size_mb=${2:-600}
[ -x "$vantage" ] || { echo "no vantage binary at $vantage (pass it as the first argument)" >&2; exit 64; }
command -v tshark >/dev/null || { echo "tshark is not installed" >&2; exit 64; }
command -v tcpdump >/dev/null || { echo "tcpdump is not installed" >&2; exit 64; }

tmp=$(mktemp -d /tmp/vantage-bench-capture-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
g++ -O2 -std=c++20 -o "$tmp/capture_gen" "$here/capture_gen.cpp"
echo "generating a ${size_mb} MB pcap ..."
"$tmp/capture_gen" "$tmp/big.pcap" "$size_mb"
ls -l "$tmp/big.pcap"

now() { date +%s.%N; }
# Warm the page cache so both read from memory.
cat "$tmp/big.pcap" > /dev/null

# Each tool RUNS times (default 3), the median: one run of a sub-second tool
# on a shared machine varies by a third.
runs=${RUNS:-3}
vantage_once() {
  set +e
  "$vantage" analyze "$tmp/big.pcap" --quiet --json "$tmp/vantage.json" > /dev/null
  local rc=$?
  set -e
  # vantage must have found the plaintext API sessions (exit 1), not failed.
  [ "$rc" = 1 ] || { echo "vantage analyze exited $rc (expected 1: plaintext API present)" >&2; exit 1; }
}
tshark_once() { tshark -n -r "$tmp/big.pcap" -d tcp.port==8729,tls > /dev/null; }
tcpdump_once() { tcpdump -r "$tmp/big.pcap" -w /dev/null 2> /dev/null; }
median_s() {  # the median wall time of `runs` runs of "$@"
  local i a b
  for ((i = 0; i < runs; i++)); do
    a=$(now)
    "$@"
    b=$(now)
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", b - a }'
  done | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}
v=$(median_s vantage_once)
t=$(median_s tshark_once)
f=$(median_s tcpdump_once)

PYTHONPATH="$here" python3 - "$v" "$t" "$f" "$runs" "$tmp/big.pcap" "$tmp/vantage.json" <<'PY'
import os, sys, analysis_summary
v, t, f = map(float, sys.argv[1:4])
size = os.path.getsize(sys.argv[5]) / 1e6
s = analysis_summary.load(sys.argv[6])
print(f"median of {sys.argv[4]} runs each")
print(f"pcap: {size:.0f} MB, {s['packets']} packets, {s['flows']} flows, {s['findings']} findings")
print(f"vantage analyze: {v:7.2f} s  ({size / v:7.1f} MB/s)")
print(f"tshark -r:       {t:7.2f} s  ({size / t:7.1f} MB/s)")
print(f"tcpdump -r -w /dev/null (the reading floor): {f:7.2f} s  ({size / f:7.1f} MB/s)")
print(f"ratio (tshark / vantage): {t / v:.1f}x (target >= 15x); vantage takes {v / f:.2f}x the floor's time")
PY
