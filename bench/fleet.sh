#!/usr/bin/env bash
# Fleet-scale speed, measured against emulated routers on loopback (one
# `vantage lab --routers N --key ecdsa` process, one I/O thread per core) and
# against nmap on the same addresses, in one run:
#   1. the audit of ROUTERS routers (bench/fleet/audit.json: TCP to 8728 and
#      8729, TLS versions and suites, certificate, audit login with the
#      least-privilege check): wall time, vantage's own CPU per router, peak
#      RSS, errors; and the emulator's CPU over the same run;
#   2. the TCP part alone against `nmap -sT -Pn -n -p 8728,8729` on the same
#      addresses (median of RUNS): bench/fleet/tcp.json, where an open port is
#      open only after its settle window (nmap cannot tell a service that
#      accepts and then closes), and bench/fleet/tcp-connect.json, nmap's own
#      semantics (settle_ms 0);
#   3. BIG targets under `ulimit -n 1024`: completes, errors, RSS per target at
#      a quarter, half and all of BIG (memory linear in targets).
# The one-router-at-100-ms figures are bench/tls_vs_sslscan.sh's, with
# VANTAGE_LINK_PROFILE=wan (run as root).
#
#   bench/fleet.sh [path/to/vantage]     env: ROUTERS (1000), BIG (10000), RUNS (3)
# Only loopback addresses (127.1.0.0/16 and up) are used.
set -euo pipefail
cd "$(dirname "$0")/.."
VANTAGE=${1:-build/vantage}
ROUTERS=${ROUTERS:-1000} BIG=${BIG:-10000} RUNS=${RUNS:-3}
[[ -x $VANTAGE ]] || { echo "no vantage binary at $VANTAGE" >&2; exit 64; }
command -v nmap >/dev/null || { echo "nmap not installed (apt-get install nmap)" >&2; exit 64; }
((BIG >= ROUTERS)) || BIG=$ROUTERS
VANTAGE=$(realpath "$VANTAGE")
tmp=$(mktemp -d /tmp/vantage-bench-fleet.XXXXXX)
lab_pid=""
cleanup() {
  if [[ -n $lab_pid ]]; then kill "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export VANTAGE_BENCH_PASSWORD=bench-audit-secret  # the lab fixture's, bench/fleet/router.json

# One emulated fleet for every part: BIG routers from 127.1.0.1; the first
# ROUTERS of them are the audited fleet.
"$VANTAGE" lab --config bench/fleet/router.json --routers "$BIG" --first-address 127.1.0.1 \
  --key ecdsa --write-inventory "$tmp/all.csv" --write-ca "$tmp/ca.pem" --quiet >"$tmp/lab.log" 2>&1 &
lab_pid=$!
for ((i = 0; i < 1200; i++)); do
  grep -q "Ctrl-C" "$tmp/lab.log" && break
  kill -0 "$lab_pid" 2>/dev/null || { cat "$tmp/lab.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "Ctrl-C" "$tmp/lab.log" || { echo "the lab did not start in 120 s" >&2; exit 1; }
head -1 "$tmp/lab.log"
inventory() {  # the first N rows of the fleet
  head -n $(($1 + 1)) "$tmp/all.csv" >"$tmp/fleet-$1.csv"
  echo "$tmp/fleet-$1.csv"
}
lab_cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$lab_pid/stat"; }
# "wall user sys maxrss_kb" of one command; its output goes to $tmp/out.
timed() { /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || true; cat "$tmp/time" | tail -1; }
counts() { python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['counts']; print(c['total'], c['pass'], c['fail'], c['error'])" "$1"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo
echo "== 1. audit of $ROUTERS routers (5 checks each: tcp x2, tls, certificate, least-privilege login)"
inv=$(inventory "$ROUTERS")
c0=$(lab_cpu)
read -r wall user sys rss < <(timed "$VANTAGE" run bench/fleet/audit.json --inventory "$inv" --quiet \
  --report-dir "$tmp/audit")
c1=$(lab_cpu)
read -r total pass fail errors < <(counts "$tmp/audit/report.json")
echo "checks $total: pass $pass, fail $fail, error $errors"
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$ROUTERS" -v l0="$c0" -v l1="$c1" 'BEGIN {
  printf "wall %.2f s (target <= 15 s); vantage CPU %.2f s = %.2f ms per router (target <= 5); peak RSS %.0f MB (target <= 150)\n",
    w, u + s, (u + s) * 1000 / n, r / 1024
  printf "the emulator over the same run: %.2f s CPU = %.2f ms per router\n", l1 - l0, (l1 - l0) * 1000 / n }'

echo
echo "== 2. the TCP part (8728 and 8729 on $ROUTERS addresses), median of $RUNS"
cut -d, -f2 "$inv" | tail -n +2 >"$tmp/hosts"
v_times="" c_times="" n_times=""
for ((r = 0; r < RUNS; r++)); do
  read -r wall _ < <(timed "$VANTAGE" run bench/fleet/tcp.json --inventory "$inv" --quiet --json "$tmp/tcp.json")
  v_times+=" $wall"
  read -r wall _ < <(timed "$VANTAGE" run bench/fleet/tcp-connect.json --inventory "$inv" --quiet \
    --json "$tmp/connect.json")
  c_times+=" $wall"
  read -r wall _ < <(timed nmap -sT -Pn -n -p 8728,8729 -iL "$tmp/hosts" -oG "$tmp/nmap.txt")
  n_times+=" $wall"
done
read -r total pass fail errors < <(counts "$tmp/tcp.json")
open=$(grep -c "8729/open" "$tmp/nmap.txt" || true)
read -r ctotal _ _ cerrors < <(counts "$tmp/connect.json")
v=$(echo $v_times | tr ' ' '\n' | median)
c=$(echo $c_times | tr ' ' '\n' | median)
n=$(echo $n_times | tr ' ' '\n' | median)
echo "vantage, settle windows: $v s (runs:$v_times), checks $total, errors $errors"
echo "vantage, connect only:   $c s (runs:$c_times), checks $ctotal, errors $cerrors"
echo "nmap -sT:                $n s (runs:$n_times), hosts with 8729 open: $open"
awk -v v="$v" -v c="$c" -v n="$n" 'BEGIN {
  printf "ratio vantage/nmap: %.2f with settle windows, %.2f connect only (target <= 0.5)\n", v / n, c / n }'

echo
echo "== 3. up to $BIG targets under ulimit -n 1024 (the TCP part)"
for part in $((BIG / 4)) $((BIG / 2)) "$BIG"; do
  inv=$(inventory "$part")
  read -r wall user sys rss < <(ulimit -n 1024 && timed "$VANTAGE" run bench/fleet/tcp.json \
    --inventory "$inv" --quiet --json "$tmp/big.json")
  if [[ -s $tmp/big.json ]]; then
    read -r total pass fail errors < <(counts "$tmp/big.json")
  else
    total=0 errors="no report: $(tail -1 "$tmp/out")"
  fi
  awk -v p="$part" -v w="$wall" -v r="$rss" -v t="$total" -v e="$errors" 'BEGIN {
    printf "%6d targets: %6.2f s, peak RSS %4.0f MB = %.1f kB per target; checks %d, errors %s\n",
      p, w, r / 1024, r / p, t, e }'
  rm -f "$tmp/big.json"
done
