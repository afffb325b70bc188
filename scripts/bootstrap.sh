#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs every system package TenChat needs to build, test, run and package.
# Idempotent: packages already present are skipped. Works as root or through sudo.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang lld libclang-rt-14-dev
  clang-format
  # Qt 6
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools
  qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-dialogs qml6-module-qt-labs-platform qml6-module-qttest
  qml6-module-qtqml qml6-module-qt-labs-settings qml6-module-qtquick-shapes
  qt6-svg-dev libgl-dev
  # crypto and storage
  libsqlcipher-dev sqlcipher libsignal-protocol-c-dev libsodium-dev libzstd-dev libssl-dev
  libprotobuf-dev protobuf-compiler
  # rendering helpers
  libcmark-dev libqrencode-dev qtkeychain-qt6-dev fonts-noto-color-emoji
  # plugin packages (.zip)
  libzip-dev
  # tests and benchmarks
  libbenchmark-dev mosquitto libmosquitto-dev xvfb xauth
  # packaging checks
  dpkg-dev file desktop-file-utils appstream
)

if [ ! -r /etc/os-release ]; then
  echo "bootstrap: cannot identify this system (no /etc/os-release)." >&2
  echo "bootstrap: TenChat's bootstrap supports Debian 12+ and Ubuntu 22.04+ (apt)." >&2
  exit 1
fi
. /etc/os-release
case " ${ID:-} ${ID_LIKE:-} " in
  *" debian "*|*" ubuntu "*) ;;
  *)
    echo "bootstrap: unsupported system '${PRETTY_NAME:-unknown}'." >&2
    echo "bootstrap: install the packages listed in scripts/bootstrap.sh with your package manager." >&2
    exit 1 ;;
esac
if ! command -v apt-get >/dev/null 2>&1; then
  echo "bootstrap: apt-get not found on '${PRETTY_NAME:-unknown}'." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "bootstrap: run as root or install sudo." >&2; exit 1
  fi
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages already installed."
  exit 0
fi

echo "bootstrap: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done."
