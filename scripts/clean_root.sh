# Sourced, not run: a clean Debian 12 root (debootstrap --variant=minbase),
# shared by tests/package/deb_in_clean_root.sh and bench/demo_time.sh.
#
#   . scripts/clean_root.sh
#   clean_root_make        # sets CLEAN_ROOT; an EXIT trap unmounts and removes it
#   clean_root_mount       # /proc, and /sys and /dev for programs that need them
#
# Root (debootstrap, mount, chroot) and a Debian mirror are needed.

# Where the root is made; removed on exit whatever happens.
CLEAN_ROOT=
clean_root_remove() {
  [[ -n $CLEAN_ROOT ]] || return 0
  local m
  for m in dev/pts dev sys proc; do
    mountpoint -q "$CLEAN_ROOT/$m" 2>/dev/null && umount -l "$CLEAN_ROOT/$m"
  done
  # --one-file-system: a mount left behind is never descended into.
  rm -rf --one-file-system "$CLEAN_ROOT" "$CLEAN_ROOT.log"
  CLEAN_ROOT=
}

# Bootstraps the root. The host's downloaded .debs are a cache for the
# download only: every package is still unpacked and configured in the root.
clean_root_make() {
  CLEAN_ROOT=$(mktemp -d /var/tmp/vantage-root.XXXXXX)
  trap clean_root_remove EXIT
  if ! debootstrap --variant=minbase --cache-dir=/var/cache/apt/archives bookworm "$CLEAN_ROOT" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$CLEAN_ROOT.log" 2>&1; then
    echo "clean root: debootstrap of Debian 12 into $CLEAN_ROOT failed (network? mirror?):" >&2
    tail -20 "$CLEAN_ROOT.log" >&2
    return 1
  fi
  rm -f "$CLEAN_ROOT.log"
}

# /proc always; with `all`, /sys and the host's /dev too (libpcap lists
# interfaces from /sys; compilers and apt want /dev/null, /dev/urandom).
clean_root_mount() {
  mount -t proc proc "$CLEAN_ROOT/proc"
  [[ ${1:-} == all ]] || return 0
  mount -t sysfs sysfs "$CLEAN_ROOT/sys"
  mount --rbind /dev "$CLEAN_ROOT/dev"
  mount --make-rslave "$CLEAN_ROOT/dev"
}
