#!/usr/bin/env bash
# The .deb, tested as a user gets it: CPack builds it from BUILD_DIR, dpkg
# installs it into a clean Debian 12 root (debootstrap --variant=minbase) with
# apt resolving only the package's own Depends, and there `vantage demo` runs
# from /usr/bin, both man pages render, and bash completion registers.
# Root (debootstrap, chroot). Usage: tests/package/deb_in_clean_root.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
cd "$(dirname "$0")/../.."
[[ $(id -u) -eq 0 ]] || { echo "package test: needs root (debootstrap, chroot)" >&2; exit 1; }

t0=$SECONDS
(cd "$build" && cpack -G DEB >/dev/null)
tc=$SECONDS
deb=$(ls -t "$build"/vantage_*.deb | head -1)
depends=$(dpkg-deb -f "$deb" Depends)
echo "package: $deb; Depends: $depends"
for lib in libpcap0.8 libssl3 libboost-program-options libfmt libpugixml libnetfilter-queue1 libc6; do
  [[ $depends == *"$lib"* ]] || { echo "package: Depends lacks $lib" >&2; exit 1; }
done

. scripts/clean_root.sh
clean_root_make
root=$CLEAN_ROOT
t1=$SECONDS
clean_root_mount all
cp "$deb" "$root/tmp/vantage.deb"
chroot "$root" apt-get install -y -q --no-install-recommends /tmp/vantage.deb >/dev/null
t2=$SECONDS

fail() { echo "package: FAIL: $*" >&2; exit 1; }
[[ $(chroot "$root" sh -c 'command -v vantage') == /usr/bin/vantage ]] || fail "vantage not on PATH at /usr/bin"
# The demo, run from an empty working directory: its reports go where it says.
set +e
out=$(chroot "$root" sh -c 'mkdir -p /tmp/cwd && cd /tmp/cwd && vantage demo --no-color --report-dir /tmp/demo' 2>&1)
rc=$?
set -e
# The demo exits 0 when its audit ran (its failures are the point of it).
[[ $rc -eq 0 ]] || { echo "$out" >&2; fail "vantage demo exited $rc, expected 0"; }
grep -q "rest-not-on-plain-http" "$root/tmp/demo/report.json" || fail "report.json lacks the demo's checks"
for f in report.json report.xml report.html capture.pcap; do
  [[ -s $root/tmp/demo/$f ]] || fail "vantage demo wrote no /tmp/demo/$f"
done
[[ -z $(ls -A "$root/tmp/cwd") ]] || fail "vantage demo wrote into its working directory"
# The shipped files, found from the install prefix.
chroot "$root" vantage validate routeros-api-hardening --var router=192.0.2.1 \
  --var server_name=r.example.net --var ca_file=/etc/hostname >/dev/null ||
  fail "the shipped scenario is not found by name"
for f in scenarios/routeros-api-hardening.json policies/mozilla-modern.json \
  policies/routeros-versions.json lab/configs/demo.json; do
  [[ -f $root/usr/share/vantage/$f ]] || fail "missing /usr/share/vantage/$f"
done
# Man pages: rendered by the host's man-db from the installed files, without warnings.
for m in man1/vantage.1 man5/vantage-scenario.5; do
  page=$root/usr/share/man/$m
  [[ -f $page || -f $page.gz ]] || fail "missing /usr/share/man/$m"
  [[ -f $page ]] || page=$page.gz
  warn=$(man --warnings -l "$page" 2>&1 >/dev/null)
  [[ -z $warn ]] || fail "man -l $m: $warn"
  man -l "$page" 2>/dev/null | grep -q "SYNOPSIS\|DESCRIPTION" || fail "man -l $m rendered nothing"
done
chroot "$root" bash -c '. /usr/share/bash-completion/completions/vantage && complete -p vantage' |
  grep -q "_vantage vantage" || fail "bash completion did not register"
[[ -f $root/usr/share/zsh/vendor-completions/_vantage ]] || fail "missing zsh completion"
echo "package: ok (cpack $((tc - t0))s, debootstrap $((t1 - tc))s, apt install of the .deb $((t2 - t1))s, checks $((SECONDS - t2))s)"
