#!/usr/bin/env bash
# The hardening lab as real network namespaces, for a person to poke at:
#
#   mgmt (192.0.2.10, 192.0.2.20) ---- 192.0.2.1 [router] 203.0.113.1 ---- outside (203.0.113.10)
#
# The router namespace runs the emulated RouterOS (`vantage lab`) on the real
# ports and the nft ruleset its config's "firewall" implies (`vantage lab
# --print-nft`), so /ip/firewall/filter and the real packet filter are one
# thing. Only documentation addresses are used.
#
#   lab/topology.sh up [LAB_CONFIG] [FIREWALL] [LINK OPTIONS]
#       default: lab/configs/topology-hardened.json, its own firewall, an ideal link;
#       FIREWALL: an nft file instead (lab/firewall/*.nft), or "config" (the default)
#   lab/topology.sh down
#   lab/topology.sh status
# then: VANTAGE_PASSWORD=$(cat /run/vlab/audit.pw) \
#         build/vantage run scenarios/routeros-api-hardening.json --vars lab/topology.vars.json
#
# LINK OPTIONS make the router's links slow and lossy (`vantage wire` in the
# router namespace, both its links, each direction): --delay 50ms --jitter 5ms
# --loss 1%, any other `vantage wire` flag, or --profile wan|lossy (60 ms each
# way + 0-5 ms jitter; lossy adds 2 % loss). Also from the environment:
# LAB_DELAY, LAB_JITTER, LAB_LOSS, LAB_PROFILE.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${VANTAGE_LAB_PREFIX:-vlab}
R=$PREFIX-router M=$PREFIX-mgmt O=$PREFIX-outside
RUN=/run/$PREFIX
VANTAGE=${VANTAGE:-build/vantage}

# Stops what a pid file names, waiting (bounded) so a wire removes its rules.
stop_pid() {
  local f=$1 pid
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$f"
}

# Wire flags for a named link profile (the same as the tests' VANTAGE_LINK_PROFILE).
profile_args() {
  case $1 in
    ideal) ;;
    wan) echo --delay 60ms --jitter 5ms ;;
    lossy) echo --delay 60ms --jitter 5ms --loss 2% ;;
    *) echo "topology: unknown link profile '$1' (ideal, wan, lossy)" >&2; exit 64 ;;
  esac
}

down() {
  stop_pid "$RUN/wire.pid"
  stop_pid "$RUN/lab.pid"
  rm -f "$RUN/wire.ready"
  for ns in $R $M $O; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
}

up() {
  local positional=() link=()
  [[ -n ${LAB_PROFILE:-} ]] && read -ra link <<<"$(profile_args "$LAB_PROFILE")"
  [[ -n ${LAB_DELAY:-} ]] && link+=(--delay "$LAB_DELAY")
  [[ -n ${LAB_JITTER:-} ]] && link+=(--jitter "$LAB_JITTER")
  [[ -n ${LAB_LOSS:-} ]] && link+=(--loss "$LAB_LOSS")
  while (($#)); do
    case $1 in
      --profile) local p; read -ra p <<<"$(profile_args "${2:?--profile needs a name}")"; link+=("${p[@]}"); shift 2 ;;
      --loopback | --*=*) link+=("$1"); shift ;;
      --*) link+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
      *) positional+=("$1"); shift ;;
    esac
  done
  local config=${positional[0]:-lab/configs/topology-hardened.json} firewall=${positional[1]:-config}
  [[ $(id -u) -eq 0 ]] || { echo "topology: needs root (network namespaces, nft)" >&2; exit 1; }
  down
  mkdir -p "$RUN"
  for ns in $R $M $O; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add "${PREFIX}-rm" netns "$R" type veth peer name "${PREFIX}-mr" netns "$M"
  ip link add "${PREFIX}-ro" netns "$R" type veth peer name "${PREFIX}-or" netns "$O"
  ip -n "$R" addr add 192.0.2.1/24 dev "${PREFIX}-rm"
  ip -n "$R" addr add 203.0.113.1/24 dev "${PREFIX}-ro"
  ip -n "$M" addr add 192.0.2.10/24 dev "${PREFIX}-mr"
  ip -n "$M" addr add 192.0.2.20/24 dev "${PREFIX}-mr"
  ip -n "$O" addr add 203.0.113.10/24 dev "${PREFIX}-or"
  for l in "$R ${PREFIX}-rm" "$R ${PREFIX}-ro" "$M ${PREFIX}-mr" "$O ${PREFIX}-or"; do
    set -- $l; ip -n "$1" link set "$2" up
  done
  ip -n "$M" route add default via 192.0.2.1
  ip -n "$O" route add default via 203.0.113.1
  : "${LAB_AUDIT_PASSWORD:=audit-$RANDOM$RANDOM}" "${LAB_ADMIN_PASSWORD:=admin-$RANDOM$RANDOM}"
  export LAB_AUDIT_PASSWORD LAB_ADMIN_PASSWORD
  if [[ $firewall == config ]]; then
    "$VANTAGE" lab --config "$config" --print-nft >"$RUN/firewall.nft"
    firewall=$RUN/firewall.nft
  fi
  ip netns exec "$R" nft -f "$firewall"
  if ((${#link[@]})); then
    rm -f "$RUN/wire.ready"
    "$VANTAGE" wire --netns "$R" "${link[@]}" --ready-file "$RUN/wire.ready" >"$RUN/wire.log" 2>&1 &
    echo $! >"$RUN/wire.pid"
    for _ in $(seq 100); do [[ -e $RUN/wire.ready ]] && break; kill -0 "$(cat "$RUN/wire.pid")" 2>/dev/null || break; sleep 0.1; done
    [[ -e $RUN/wire.ready ]] || { echo "topology: vantage wire did not start:" >&2; cat "$RUN/wire.log" >&2; down; exit 1; }
  fi
  ip netns exec "$R" "$VANTAGE" lab --config "$config" --listen 192.0.2.1 --listen 203.0.113.1 \
    --write-ca "$RUN/ca.pem" >"$RUN/lab.log" 2>&1 &
  echo $! >"$RUN/lab.pid"
  # Ready when the lab listens (bounded: 10 s); asked of the router's own
  # sockets, since the firewall may keep every client out.
  local lab_pid i
  lab_pid=$(cat "$RUN/lab.pid")
  for ((i = 0; i < 100; i++)); do
    ip netns exec "$R" ss -Hltnp 2>/dev/null | grep -q "pid=$lab_pid," && break
    kill -0 "$lab_pid" 2>/dev/null || { echo "topology: the lab exited; see $RUN/lab.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "topology up: router $R (192.0.2.1, 203.0.113.1), mgmt $M, outside $O; lab log $RUN/lab.log"
  ((${#link[@]})) && echo "link: ${link[*]} on the router's links (vantage wire pid $(cat "$RUN/wire.pid"), log $RUN/wire.log)"
  echo "audit password: export VANTAGE_PASSWORD=\$(cat $RUN/audit.pw)"
  (umask 077; printf '%s' "$LAB_AUDIT_PASSWORD" >"$RUN/audit.pw")
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down; echo "topology down" ;;
  status)
    ip netns list | grep "^$PREFIX-" || echo "topology is down"
    if [[ -f $RUN/wire.pid ]] && kill -0 "$(cat "$RUN/wire.pid")" 2>/dev/null; then
      echo "link: vantage wire pid $(cat "$RUN/wire.pid"): $(head -1 "$RUN/wire.log")"
    else
      echo "link: ideal (no vantage wire)"
    fi ;;
  *) sed -n '2,20p' "$0"; exit 64 ;;
esac
