#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks (or with --fix, applies) .clang-format on every C++ file of the tree.
set -u
mode=check
if [ "${1:-}" = "--fix" ]; then mode=--fix; shift; fi
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
cf=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$cf" ]; then echo "clang-format not installed (scripts/bootstrap.sh installs it)"; exit 1; fi
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.h' '*.cpp' 2>/dev/null || find app crypto core protocol relay ui tests bench -name '*.h' -o -name '*.cpp')
[ ${#files[@]} -eq 0 ] && { echo "format: no files"; exit 0; }
if [ "$mode" = "--fix" ]; then
  "$cf" -i "${files[@]}"; echo "format: applied to ${#files[@]} files"; exit 0
fi
bad=0
# One clang-format process for the whole tree; it names each file it would change.
out=$("$cf" --dry-run --Werror "${files[@]}" 2>&1) || bad=1
if [ $bad -ne 0 ]; then
  printf '%s\n' "$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/not formatted: \1/p' | sort -u
fi
[ $bad -eq 0 ] && echo "format: ${#files[@]} files ok"
[ $bad -eq 0 ] || echo "fix with: scripts/check-format.sh --fix"
exit $bad
