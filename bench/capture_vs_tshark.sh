#!/bin/bash
# Offline analysis throughput: `vantage analyze` vs `tshark -r` on the same
# large synthetic pcap (TLS, plaintext RouterOS API and bulk TCP flows, with
# reordering and retransmissions), generated here and deleted afterwards; and
# against the reading floor, `tcpdump -r FILE -w /dev/null` (libpcap reading
# and writing every packet, no analysis): what no analyzer can beat.
#
# usage: bench/capture_vs_tshark.sh [VANTAGE_BINARY] [SIZE_MB (default 600)]
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

t0=$(now)
set +e
"$vantage" analyze "$tmp/big.pcap" --quiet --json "$tmp/vantage.json"
vrc=$?
set -e
t1=$(now)
# vantage must have found the plaintext API sessions (exit 1), not failed.
[ "$vrc" = 1 ] || { echo "vantage analyze exited $vrc (expected 1: plaintext API present)" >&2; exit 1; }

t2=$(now)
tshark -n -r "$tmp/big.pcap" -d tcp.port==8729,tls > /dev/null
t3=$(now)
tcpdump -r "$tmp/big.pcap" -w /dev/null 2> /dev/null
t4=$(now)

PYTHONPATH="$here" python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$tmp/big.pcap" "$tmp/vantage.json" <<'PY'
import os, sys, analysis_summary
t0, t1, t2, t3, t4 = map(float, sys.argv[1:6])
size = os.path.getsize(sys.argv[6]) / 1e6
v, t, f = t1 - t0, t3 - t2, t4 - t3
s = analysis_summary.load(sys.argv[7])
print(f"pcap: {size:.0f} MB, {s['packets']} packets, {s['flows']} flows, {s['findings']} findings")
print(f"vantage analyze: {v:7.2f} s  ({size / v:7.1f} MB/s)")
print(f"tshark -r:       {t:7.2f} s  ({size / t:7.1f} MB/s)")
print(f"tcpdump -r -w /dev/null (the reading floor): {f:7.2f} s  ({size / f:7.1f} MB/s)")
print(f"ratio (tshark / vantage): {t / v:.1f}x (target >= 15x); vantage takes {v / f:.2f}x the floor's time")
PY
