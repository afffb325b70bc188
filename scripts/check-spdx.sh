#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file carries an SPDX licence header.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.h' '*.cpp' '*.qml' '*.proto' '*.cmake' 'CMakeLists.txt' '*/CMakeLists.txt' '*.sh' 2>/dev/null)
bad=0
for f in "${files[@]}"; do
  head -n 3 "$f" | grep -q 'SPDX-License-Identifier:' || { echo "missing SPDX header: $f"; bad=1; }
done
[ $bad -eq 0 ] && echo "spdx: ${#files[@]} files ok"
exit $bad
