#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks a built .deb (and .tgz): the three executables, the desktop entry
# (desktop-file-validate), the icon, the AppStream metainfo (appstreamcli),
# the licence in the metadata; then unpacks it and runs each --version.
set -euo pipefail
deb=$1
tgz=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-package: $*" >&2; exit 1; }

dpkg-deb --info "$deb" > "$work/info"
grep -q '^ Package: tenchat$' "$work/info" || fail "package name is not tenchat"
grep -q '^ Depends:.*libsignal-protocol-c' "$work/info" || fail "shlibdeps did not record libsignal-protocol-c"
dpkg-deb --contents "$deb" > "$work/contents"
for path in ./usr/bin/tenchat ./usr/bin/tenchat-relay ./usr/bin/tenchat-cli \
            ./usr/share/applications/org.tenchat.TenChat.desktop \
            ./usr/share/metainfo/org.tenchat.TenChat.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/org.tenchat.TenChat.svg \
            ./usr/share/doc/tenchat/LICENSE ./usr/share/doc/tenchat/copyright; do
  grep -q " $path\$" "$work/contents" || fail "missing $path"
done
dpkg-deb -x "$deb" "$work/root"
desktop-file-validate "$work/root/usr/share/applications/org.tenchat.TenChat.desktop"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/org.tenchat.TenChat.metainfo.xml" >/dev/null \
  || fail "AppStream metainfo does not validate"
grep -q 'GPL-3.0-or-later' "$work/root/usr/share/metainfo/org.tenchat.TenChat.metainfo.xml" || fail "licence missing from metainfo"
grep -q '^License: GPL-3.0-or-later' "$work/root/usr/share/doc/tenchat/copyright" || fail "licence missing from copyright"
for exe in tenchat tenchat-relay tenchat-cli; do
  "$work/root/usr/bin/$exe" --version | grep -q "^$exe " || fail "$exe --version failed"
done
if [ -n "$tgz" ]; then
  tar -tzf "$tgz" | grep -q 'bin/tenchat-relay$' || fail "tgz lacks tenchat-relay"
fi
echo "check-package: ok ($(grep -c . "$work/contents") entries)"
