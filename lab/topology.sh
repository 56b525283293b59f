#!/usr/bin/env bash
# The hardening lab as real network namespaces, for a person to poke at:
#
#   mgmt (192.0.2.10, 192.0.2.20) ---- 192.0.2.1 [router] 203.0.113.1 ---- outside (203.0.113.10)
#
# The router namespace runs the emulated RouterOS (`vantage lab`) on the real
# ports and an nft ruleset translated from the guide's /ip firewall filter
# lines (lab/firewall/*.nft). Only documentation addresses are used.
#
#   lab/topology.sh up [LAB_CONFIG] [FIREWALL]   default: lab/configs/topology-hardened.json, hardened.nft
#   lab/topology.sh down
#   lab/topology.sh status
# then: VANTAGE_PASSWORD=$(cat /run/vlab/audit.pw) \
#         build/vantage run scenarios/routeros-api-hardening.json --vars lab/topology.vars.json
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${VANTAGE_LAB_PREFIX:-vlab}
R=$PREFIX-router M=$PREFIX-mgmt O=$PREFIX-outside
RUN=/run/$PREFIX
VANTAGE=${VANTAGE:-build/vantage}

down() {
  if [[ -f $RUN/lab.pid ]]; then
    kill "$(cat "$RUN/lab.pid")" 2>/dev/null || true
    rm -f "$RUN/lab.pid"
  fi
  for ns in $R $M $O; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
}

up() {
  local config=${1:-lab/configs/topology-hardened.json} firewall=${2:-lab/firewall/hardened.nft}
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
  ip netns exec "$R" nft -f "$firewall"
  : "${LAB_AUDIT_PASSWORD:=audit-$RANDOM$RANDOM}" "${LAB_ADMIN_PASSWORD:=admin-$RANDOM$RANDOM}"
  export LAB_AUDIT_PASSWORD LAB_ADMIN_PASSWORD
  ip netns exec "$R" "$VANTAGE" lab --config "$config" --listen 192.0.2.1 --listen 203.0.113.1 \
    --write-ca "$RUN/ca.pem" >"$RUN/lab.log" 2>&1 &
  echo $! >"$RUN/lab.pid"
  echo "topology up: router $R (192.0.2.1, 203.0.113.1), mgmt $M, outside $O; lab log $RUN/lab.log"
  echo "audit password: export VANTAGE_PASSWORD=\$(cat $RUN/audit.pw)"
  (umask 077; printf '%s' "$LAB_AUDIT_PASSWORD" >"$RUN/audit.pw")
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down; echo "topology down" ;;
  status) ip netns list | grep "^$PREFIX-" || echo "topology is down" ;;
  *) sed -n '2,14p' "$0"; exit 64 ;;
esac
