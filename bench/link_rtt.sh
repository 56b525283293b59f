#!/usr/bin/env bash
# How faithful `vantage wire` is: two namespaces joined by a veth pair, the
# wire in the "router" one, then from the client N TCP connects (their RTT)
# and M UDP datagrams (how many arrive). Prints measured vs configured and
# their ratios. Only documentation addresses, inside namespaces made here.
#
#   bench/link_rtt.sh [--profile wan|lossy] [vantage wire flags...]
#     e.g. bench/link_rtt.sh --delay 50ms --jitter 5ms --loss 1%
#   env: VANTAGE (default build/vantage), CONNECTS (200), DATAGRAMS (2000)
set -euo pipefail
cd "$(dirname "$0")/.."
VANTAGE=${VANTAGE:-build/vantage}
CONNECTS=${CONNECTS:-200} DATAGRAMS=${DATAGRAMS:-2000}
PY=/usr/bin/python3
[[ -x $VANTAGE ]] || { echo "no vantage binary at $VANTAGE (set VANTAGE=)" >&2; exit 64; }
[[ $(id -u) -eq 0 ]] || { echo "link_rtt: needs root (network namespaces, netfilter queues)" >&2; exit 77; }

args=()
while (($#)); do
  case $1 in
    --profile)
      case ${2:-} in
        wan) args+=(--delay 60ms --jitter 5ms) ;;
        lossy) args+=(--delay 60ms --jitter 5ms --loss 2%) ;;
        *) echo "link_rtt: --profile wan or lossy" >&2; exit 64 ;;
      esac
      shift 2 ;;
    --loopback) echo "link_rtt: measures the veth link; --loopback is not used" >&2; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
((${#args[@]})) || args=(--delay 60ms --jitter 5ms)

tag=$$ R=vt-bench-r-$$ C=vt-bench-c-$$ work=$(mktemp -d /tmp/vantage-bench-link.XXXXXX)
wire_pid=""
cleanup() {
  [[ -n $wire_pid ]] && kill "$wire_pid" 2>/dev/null && wait "$wire_pid" 2>/dev/null
  for ns in $R $C; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
ip netns add "$R"; ip netns add "$C"
ip -n "$R" link set lo up; ip -n "$C" link set lo up
ip link add "vbr$tag" netns "$R" type veth peer name "vbc$tag" netns "$C"
ip -n "$R" addr add 192.0.2.1/24 dev "vbr$tag"; ip -n "$R" link set "vbr$tag" up
ip -n "$C" addr add 192.0.2.10/24 dev "vbc$tag"; ip -n "$C" link set "vbc$tag" up

"$VANTAGE" wire --netns "$R" "${args[@]}" --ready-file "$work/ready" >"$work/wire.out" 2>"$work/wire.log" &
wire_pid=$!
for _ in $(seq 100); do [[ -e $work/ready ]] && break; sleep 0.1; done
[[ -e $work/ready ]] || { echo "vantage wire did not start:" >&2; cat "$work/wire.log" >&2; exit 1; }

# Server side: a TCP listener and a UDP counter, both in the router namespace.
ip netns exec "$R" "$PY" - "$work" "$DATAGRAMS" <<'PY' &
import socket, sys, time, select
work, n = sys.argv[1], int(sys.argv[2])
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("192.0.2.1", 7000)); t.listen(1024)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
u.bind(("192.0.2.1", 7001))
open(work + "/listening", "w").close()
got, end = 0, time.time() + 600
while time.time() < end:
    r, _, _ = select.select([t, u], [], [], 0.5)
    if t in r: t.accept()[0].close()
    if u in r:
        msg = u.recv(64)
        if msg == b"done": break
        got += 1
open(work + "/udp", "w").write(str(got))
PY
server_pid=$!
for _ in $(seq 100); do [[ -e $work/listening ]] && break; sleep 0.05; done

ip netns exec "$C" "$PY" - "$work" "$CONNECTS" "$DATAGRAMS" <<'PY'
import socket, sys, time
work, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rtts, failed = [], 0
for i in range(n):
    s = socket.socket(); s.settimeout(10)
    t0 = time.monotonic()
    try:
        s.connect(("192.0.2.1", 7000)); rtts.append((time.monotonic() - t0) * 1000)
    except OSError:
        failed += 1
    s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(m):
    u.sendto(b"x", ("192.0.2.1", 7001))
    if i % 10 == 9: time.sleep(0.01)  # ~1000/s: well under the queue bound at any delay
time.sleep(1)  # the last datagrams are still on the wire
for _ in range(3): u.sendto(b"done", ("192.0.2.1", 7001)); time.sleep(0.3)
open(work + "/rtts", "w").write(" ".join("%.3f" % r for r in rtts) + "\n" + str(failed))
PY
wait "$server_pid" || true
kill "$wire_pid"; wait "$wire_pid" 2>/dev/null || true; wire_pid=""

"$PY" - "$work" "$DATAGRAMS" "${args[@]}" <<'PY'
import re, statistics, sys
work, m, flags = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def get(flag, both):
    v = "0"
    for i, f in enumerate(flags[:-1]):
        if f == both: v = flags[i + 1]
    for i, f in enumerate(flags[:-1]):
        if f == flag: v = flags[i + 1]
    return v
def ms(s):
    m_ = re.fullmatch(r"([0-9.]+)(h|m|s|ms|us|ns)?", s)
    k = {"h": 3.6e6, "m": 6e4, "s": 1e3, "ms": 1, "us": 1e-3, "ns": 1e-6, None: 1}[m_.group(2)]
    return float(m_.group(1)) * k
pct = lambda s: float(s.rstrip("%")) / 100
d_in, d_out = ms(get("--ingress-delay", "--delay")), ms(get("--egress-delay", "--delay"))
j_in, j_out = ms(get("--ingress-jitter", "--jitter")), ms(get("--egress-jitter", "--jitter"))
l_in = pct(get("--ingress-loss", "--loss"))
line, failed = open(work + "/rtts").read().split("\n")
rtts = sorted(float(x) for x in line.split())
got = int(open(work + "/udp").read())
floor, mean = d_in + d_out, d_in + d_out + (j_in + j_out) / 2
print("configured: %s" % " ".join(flags))
print("tcp connect rtt over %d connects (%s failed):" % (len(rtts), failed))
if rtts:
    med = statistics.median(rtts)
    print("  min %.1f ms  median %.1f ms  p95 %.1f ms  max %.1f ms" % (rtts[0], med, rtts[int(len(rtts) * .95) - 1], rtts[-1]))
    if mean > 0:
        print("  configured floor %.1f ms, mean %.1f ms;  min/floor %.3f  median/mean %.3f" % (floor, mean, rtts[0] / floor if floor else 0, med / mean))
    slow = sum(r > 900 for r in rtts)
    print("  connects slowed by a SYN retransmit (> 900 ms): %d (%.1f%%)" % (slow, 100.0 * slow / len(rtts)))
lost = (m - got) / m
print("udp client -> router: %d of %d arrived; loss %.2f%% measured vs %.2f%% configured (ingress)%s" % (
    got, m, 100 * lost, 100 * l_in, ";  ratio %.2f" % (lost / l_in) if l_in else ""))
PY
echo "--- wire"; cat "$work/wire.log"
