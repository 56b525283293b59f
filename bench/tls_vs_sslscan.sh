#!/bin/sh
# One-target TLS audit, vantage vs sslscan, against the same `openssl s_server`
# on loopback (TLS 1.0-1.3, every suite Debian's OpenSSL serves, RSA 2048
# certificate). vantage runs the tls probe (versions + every suite per version)
# and the certificate probe (chain, trust, name, validity) in one `vantage run`;
# sslscan runs with its defaults. Prints both times (median of RUNS) and the ratio.
#
#   bench/tls_vs_sslscan.sh [path/to/vantage] [RUNS]
#   VANTAGE_LINK_PROFILE=wan|lossy bench/tls_vs_sslscan.sh   (root: the same over a
#     120 ms RTT loopback, in a private network namespace slowed by `vantage wire`)
#   VANTAGE_BENCH_TARGET=lab   the emulated router (bench/fleet/router.json: api-ssl,
#     TLS 1.2 only, serves connections side by side) instead of s_server, which
#     serves one connection at a time and so sets the pace on a slow link
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
vantage=${1:-$here/build/vantage}
runs=${2:-5}
[ -x "$vantage" ] || { echo "no vantage binary at $vantage" >&2; exit 2; }
command -v sslscan > /dev/null || { echo "sslscan not installed" >&2; exit 2; }
work=$(mktemp -d /tmp/vantage-bench-tls.XXXXXX)
pid=""
wire_pid=""
cleanup() {
  # set -e would end the trap at the first `wait` that reports the SIGTERM
  # (143), before the wire is stopped: it then outlived the script.
  set +e
  [ -n "$pid" ] && kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
  [ -n "$wire_pid" ] && kill "$wire_pid" 2> /dev/null && wait "$wire_pid" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

case ${VANTAGE_LINK_PROFILE:-ideal} in
  ideal) ;;
  wan | lossy)
    if [ -z "${VANTAGE_BENCH_NETNS:-}" ]; then
      rm -rf "$work"
      VANTAGE_BENCH_NETNS=1 exec unshare --net "$0" "$@"
    fi
    ip link set lo up
    loss=""
    [ "$VANTAGE_LINK_PROFILE" = lossy ] && loss="--loss 2%"
    # shellcheck disable=SC2086
    "$vantage" wire --loopback --delay 60ms --jitter 5ms $loss --ready-file "$work/wire.ready" \
      > /dev/null 2> "$work/wire.log" &
    wire_pid=$!
    i=0
    until [ -e "$work/wire.ready" ]; do
      i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/wire.log" >&2; exit 2; }; sleep 0.1
    done
    echo "link profile $VANTAGE_LINK_PROFILE: loopback delayed 60 ms each way (+0-5 ms) $loss"
    ;;
  *) echo "VANTAGE_LINK_PROFILE: ideal, wan or lossy" >&2; exit 2 ;;
esac

server_name=localhost
ca="$work/pki/ca.pem"
case ${VANTAGE_BENCH_TARGET:-s_server} in
  s_server)
    "$here/tests/probes/peers/make_pki.sh" "$work/pki" > /dev/null
    # s_server's stdin: open, silent, never at EOF (a FIFO opened read-write).
    mkfifo "$work/stdin"
    exec 3<> "$work/stdin"
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    openssl s_server -accept "127.0.0.1:$port" -quiet -cert "$work/pki/valid.pem" -key "$work/pki/valid.key" \
      -cipher 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' -min_protocol TLSv1 <&3 > /dev/null 2>&1 &
    pid=$!
    ;;
  lab)
    ca="$work/ca.pem"
    port=8729
    "$vantage" lab --config "$here/bench/fleet/router.json" --routers 1 --first-address 127.0.0.1 \
      --write-inventory "$work/inventory.csv" --write-ca "$ca" -q > /dev/null 2> "$work/lab.log" &
    pid=$!
    i=0
    until [ -s "$work/inventory.csv" ]; do
      i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/lab.log" >&2; exit 2; }; sleep 0.05
    done
    server_name=$(/usr/bin/python3 -c "import csv; print(next(csv.DictReader(open('$work/inventory.csv')))['server_name'])")
    ;;
  *) echo "VANTAGE_BENCH_TARGET: s_server or lab" >&2; exit 2 ;;
esac
i=0
until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2> /dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "s_server did not start" >&2; exit 2; }; sleep 0.05
done

cat > "$work/audit.json" <<JSON
{ "vantage": 1, "name": "tls audit bench",
  "target": { "host": "127.0.0.1", "server_name": "$server_name" },
  "sources": { "lo": { "address": "127.0.0.1" } },
  "defaults": { "timeout_ms": 30000, "attempts": 1, "max_per_target": 18 },
  "checks": [
    { "id": "tls", "probe": "tls", "port": $port, "from": "lo",
      "expect": { "reject": ["SSLv3", "TLSv1.0", "TLSv1.1"], "forbid_ciphers": ["anonymous", "null", "rc4", "3des"] } },
    { "id": "cert", "probe": "certificate", "port": $port, "from": "lo",
      "expect": { "trust": { "ca_file": "$ca" }, "name": "$server_name", "min_days_left": 30 } }
  ] }
JSON

now() { date +%s.%N; }
time_of() {  # prints seconds taken by "$@" (output discarded; exit status ignored)
  t0=$(now); "$@" > /dev/null 2>&1 || true; t1=$(now)
  echo "$t1 - $t0" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

v_times="" s_times="" l_times=""
n=0
while [ $n -lt "$runs" ]; do
  v_times="$v_times $(time_of "$vantage" run "$work/audit.json" --json "$work/report.json")"
  s_times="$s_times $(time_of sslscan --no-colour "127.0.0.1:$port")"
  # The same work as vantage: versions, suites, certificate; no extra checks.
  l_times="$l_times $(time_of sslscan --no-colour --no-groups --no-heartbleed --no-renegotiation \
    --no-compression --no-fallback "127.0.0.1:$port")"
  n=$((n + 1))
done
v=$(echo $v_times | tr ' ' '\n' | median)
s=$(echo $s_times | tr ' ' '\n' | median)
l=$(echo $l_times | tr ' ' '\n' | median)
suites=$(/usr/bin/python3 -c "
import json
d = json.load(open('$work/report.json'))
def walk(o):
    if isinstance(o, dict):
        if 'accepted_versions' in o: yield o
        for x in o.values(): yield from walk(x)
    elif isinstance(o, list):
        for x in o: yield from walk(x)
e = next(walk(d))
print(sum(len(v['suites']) for v in e['versions']), 'suites,', ', '.join(e['accepted_versions']) + ';', e['connections'], 'connections')")
printf 'target: %s 127.0.0.1:%s (%s)\n' "${VANTAGE_BENCH_TARGET:-s_server}" "$port" "$suites"
printf 'vantage (tls + certificate): %.3f s   runs:%s\n' "$v" "$v_times"
printf 'sslscan:                     %.3f s   runs:%s\n' "$s" "$s_times"
printf 'sslscan, same work only:     %.3f s   runs:%s\n' "$l" "$l_times"
printf 'ratio vantage/sslscan: %.2f (vs sslscan limited to the same work: %.2f)\n' \
  "$(echo "$v / $s" | bc -l)" "$(echo "$v / $l" | bc -l)"
if [ "${VANTAGE_LINK_PROFILE:-ideal}" != ideal ]; then
  # The link's round trip: 2 x 60 ms, plus the jitter's mean (2.5 ms) each way.
  printf 'vantage took %.1f round trips of 125 ms (target <= 10); sslscan %.1f\n' \
    "$(echo "$v / 0.125" | bc -l)" "$(echo "$s / 0.125" | bc -l)"
fi
