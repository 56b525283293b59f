#!/usr/bin/env bash
# Time to the demo's first report, as a new user on a fresh Debian 12 machine
# gets it: a fresh clone of this repository's HEAD in a clean Debian 12 root
# (debootstrap --variant=minbase, not timed: it stands for the machine), an
# empty compiler cache, then `scripts/demo.sh` there, which apt-installs the
# demo's packages, configures and builds the vantage binary, and runs
# `vantage demo` until its reports are written. Prints each phase and the total.
#
#   bench/demo_time.sh [DEMO_ARGS...]   (root; a Debian mirror; commit first:
#                                        the clone holds HEAD, not the work tree)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "demo_time: needs root (debootstrap, chroot)" >&2; exit 77; }
rev=$(git rev-parse HEAD)
[[ -z $(git status --porcelain --untracked-files=no) ]] ||
  echo "demo_time: uncommitted changes are not in the clone; timing HEAD ${rev:0:7}" >&2

. scripts/clean_root.sh
echo "demo_time: bootstrapping a clean Debian 12 root (not timed)" >&2
clean_root_make
clean_root_mount all
log=$CLEAN_ROOT/root/demo.log

t0=$SECONDS
git clone -q --no-local "$PWD" "$CLEAN_ROOT/root/vantage"
git -C "$CLEAN_ROOT/root/vantage" checkout -q --detach "$rev"
t1=$SECONDS
set +e
chroot "$CLEAN_ROOT" /usr/bin/env -i HOME=/root TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  bash -c 'cd /root/vantage && scripts/demo.sh --no-color --report-dir /tmp/demo "$@"' demo "$@" \
  >"$log" 2>&1
rc=$?
set -e
t2=$SECONDS
if [[ $rc -ne 0 || ! -s $CLEAN_ROOT/tmp/demo/report.json ]]; then
  tail -30 "$log" >&2
  echo "demo_time: FAIL: scripts/demo.sh exited $rc or wrote no report.json" >&2
  exit 1
fi
# setup.sh prints its phases: "setup: packages N s, configure and build M s".
phases=$(grep -o 'setup: packages [0-9]* s, configure and build [0-9]* s' "$log" | tail -1)
[[ -n $phases ]] || { echo "demo_time: FAIL: setup.sh printed no phase line" >&2; exit 1; }
read -r apt build < <(sed 's/[^0-9]\+/ /g' <<<"$phases")
demo=$((t2 - t1 - apt - build))
ccache_stats=$(chroot "$CLEAN_ROOT" ccache -s 2>/dev/null | grep -i -m2 'hits\|miss' | tr -s ' ' | paste -sd';')
total=$((t2 - t0))
printf 'demo_time: %s on %s cores, HEAD %s, load %s\n' "$(date -u +%FT%TZ)" "$(nproc)" \
  "${rev:0:7}" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-34s %5d s\n' "clone" $((t1 - t0)) "apt (update + demo packages)" "$apt" \
  "configure + build vantage" "$build" "vantage demo (until its reports)" "$demo"
printf '  %-34s %5d s (%dm%02ds)\n' total "$total" $((total / 60)) $((total % 60))
printf '  compiler cache in the root: %s\n' "${ccache_stats:-unknown}"
