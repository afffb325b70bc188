#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bootstraps, builds, starts the bundled relay on 127.0.0.1 and opens the
# desktop client connected to it. Extra arguments go to the client, e.g.
#   ./scripts/run.sh --profile /tmp/alice
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${TENCHAT_BUILD_DIR:-$root/build}

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)." >&2
  echo "run: on a headless machine, run it under a virtual display:" >&2
  echo "       xvfb-run -a ./scripts/run.sh" >&2
  exit 1
fi

./scripts/bootstrap.sh
./scripts/build.sh

data=${TENCHAT_RELAY_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/tenchat-relay-dev}
mkdir -p "$data"
port=${TENCHAT_RELAY_PORT:-8787}
log=$(mktemp -t tenchat-relay.XXXXXX.log)
"$build/app/tenchat-relay" --listen "127.0.0.1:$port" --data "$data" >"$log" 2>&1 &
relay=$!
trap 'kill "$relay" 2>/dev/null; wait "$relay" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  grep -q '^listening on ' "$log" && break
  kill -0 "$relay" 2>/dev/null || { echo "run: the relay did not start:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$log" | head -n 1)
[ -n "$url" ] || { echo "run: the relay did not report its address:" >&2; cat "$log" >&2; exit 1; }
echo "run: relay $url (data in $data, log in $log)"
"$build/app/tenchat" --relay "$url" "$@"
