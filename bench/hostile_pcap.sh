#!/bin/bash
# Memory on a hostile capture: `vantage analyze` on a pcap of SYNs from
# unique 4-tuples (every packet a new flow), generated here and deleted
# afterwards. Prints the analysis time, peak RSS and the bound the analyzer
# reported; the acceptance bound is 256 MB of RSS for 1 GB of input.
#
# usage: bench/hostile_pcap.sh [VANTAGE_BINARY] [SIZE_MB (default 1024)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vantage=${1:-$here/../build/vantage}
size_mb=${2:-1024}
[ -x "$vantage" ] || { echo "no vantage binary at $vantage (pass it as the first argument)" >&2; exit 64; }

tmp=$(mktemp -d /tmp/vantage-bench-hostile-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
g++ -O2 -std=c++20 -o "$tmp/capture_gen" "$here/capture_gen.cpp"
echo "generating a ${size_mb} MB pcap of unique-4-tuple SYNs ..."
"$tmp/capture_gen" "$tmp/flood.pcap" "$size_mb" --syn-flood
set +e
/usr/bin/time -f "%e s, peak RSS %M KB" -o "$tmp/time" \
  "$vantage" analyze "$tmp/flood.pcap" --quiet --json "$tmp/report.json"
rc=$?
set -e
echo "vantage analyze: exit $rc, $(cat "$tmp/time")"
PYTHONPATH="$here" python3 - "$tmp/report.json" <<'PY'
import sys, analysis_summary
s = analysis_summary.load(sys.argv[1])
print("flows %d (listed %d, finalised early %d), packets %d" %
      (s["flows"], s["flows_listed"], s["flows_cut_short"], s["packets"]))
PY
rss_kb=$(sed -E 's/.*peak RSS ([0-9]+) KB/\1/' "$tmp/time")
if (( rss_kb > 256 * 1024 )); then
  echo "FAIL: peak RSS ${rss_kb} KB is above 256 MB" >&2
  exit 1
fi
echo "ok: peak RSS $((rss_kb / 1024)) MB <= 256 MB"
