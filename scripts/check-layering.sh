#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Enforces the dependency rule: app -> ui -> core -> {crypto, protocol},
# app -> relay -> {crypto, protocol}; crypto has no Qt; qml talks only to ui.
# Target links already stop a layer from finding headers it does not link;
# this also catches relative-path includes and Qt sneaking into crypto.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
fail=0
check() { # folder, forbidden include regex, rule text
  local hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" "$1" --include='*.h' --include='*.cpp' 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering violation ($3):"; echo "$hits"; fail=1
  fi
}
check crypto 'Q[A-Za-z]+|QtCore|tenchat/(core|relay|ui|protocol)/|\.\./' "crypto has no Qt and depends on nothing above it"
check protocol 'tenchat/(core|relay|ui|crypto)/|\.\./' "protocol depends on nothing"
check core 'tenchat/(relay|ui)/|QtGui|QtQuick|QGuiApplication|\.\./\.\./' "core never includes relay, ui or GUI"
check relay 'tenchat/(core|ui)/|QtGui|QtQuick|\.\./\.\./' "relay never includes core or ui"
check ui 'tenchat/relay/' "ui never includes relay"
# QML may only import Qt's modules and TenChat's own UI modules.
bad_qml=$(grep -rnE '^[[:space:]]*import[[:space:]]+"' qml 2>/dev/null)
if [ -n "$bad_qml" ]; then echo "qml imports files by path:"; echo "$bad_qml"; fail=1; fi
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
