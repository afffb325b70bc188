#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb and .tgz from build/ and checks what the .deb installs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TENCHAT_BUILD_DIR:-$root/build}
(cd "$build" && cpack -G DEB >/dev/null && cpack -G TGZ >/dev/null)
deb=$(ls -t "$build"/tenchat_*.deb | head -n 1)
tgz=$(ls -t "$build"/tenchat-*.tar.gz | head -n 1)
echo "package: $deb"
echo "package: $tgz"
"$root/scripts/check-package.sh" "$deb" "$tgz"
