#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A second build with clang, ASan+UBSan and libFuzzer: runs the unit and fuzz
# labels under the sanitizers. The desktop client is left out to keep CI
# short; its logic lives in the libraries these tests cover.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TENCHAT_ASAN_BUILD_DIR:-$root/build-asan}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DTENCHAT_SANITIZE=ON -DTENCHAT_FUZZ=ON -DTENCHAT_BUILD_DESKTOP=OFF -DTENCHAT_BUILD_BENCH=OFF \
  "-DTENCHAT_TEST_KINDS=smoke;unit;fuzz"
cmake --build "$build" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/data/lsan.supp
(cd "$build" && ctest --output-on-failure -j "$(nproc)" -L 'unit|fuzz' --timeout 900)
