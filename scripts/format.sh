#!/usr/bin/env bash
# Formats every tracked *.cpp / *.hpp with the committed .clang-format, or,
# with --check, changes nothing and fails listing the files that are not
# formatted. Generated sources keep their table layout with a bare
# "// clang-format off" line (tls/tools/gen_cipher_suites.py emits one), so
# no file needs excluding here.
#   scripts/format.sh           format in place
#   scripts/format.sh --check   exit 1 when any file would change
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 64 ;;
esac

# The version CI pins: another major version formats some constructs differently.
CLANG_FORMAT=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format || true)}
if [[ -z $CLANG_FORMAT ]]; then
  echo "format: clang-format-14 not found (apt-get install clang-format-14)" >&2
  exit 1
fi

files=()
while IFS= read -r -d '' f; do
  [[ -f $f ]] && files+=("$f")  # tracked but deleted in the work tree: nothing to format
done < <(git ls-files -z -- '*.cpp' '*.hpp')
if ((check)); then
  bad=()
  for f in "${files[@]}"; do
    "$CLANG_FORMAT" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if ((${#bad[@]})); then
    printf 'format: not formatted: %s\n' "${bad[@]}" >&2
    n=${#bad[@]}; [ "$n" -eq 1 ] && noun=file || noun=files
    echo "format: run scripts/format.sh to fix $n $noun" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  "$CLANG_FORMAT" -i "${files[@]}"
fi
