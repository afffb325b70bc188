#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole test suite from a clean checkout: bootstrap, build, every CTest
# label, the sanitizer and fuzzing pass, and the package checks.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$(date +%s)
stage() { echo; echo "==== $* ($(( $(date +%s) - started ))s)"; }

stage "bootstrap"
./scripts/bootstrap.sh

stage "build (gcc, RelWithDebInfo)"
./scripts/build.sh

stage "test suite"
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 600)

stage "sanitizers and fuzzing (clang, ASan+UBSan, libFuzzer)"
./scripts/sanitize.sh

stage "package"
./scripts/package.sh

stage "done"
