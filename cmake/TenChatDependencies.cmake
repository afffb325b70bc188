# SPDX-License-Identifier: GPL-3.0-or-later
# Every dependency comes from the distribution's packages (scripts/bootstrap.sh).

set(TENCHAT_QT_COMPONENTS Core Network WebSockets Qml Test Concurrent)
if(TENCHAT_BUILD_DESKTOP)
  list(APPEND TENCHAT_QT_COMPONENTS Gui Quick QuickControls2 QuickTest LinguistTools Svg Widgets)
endif()
find_package(Qt6 6.4 REQUIRED COMPONENTS ${TENCHAT_QT_COMPONENTS})
qt_standard_project_setup()

find_package(Protobuf REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
pkg_check_modules(SIGNAL REQUIRED IMPORTED_TARGET libsignal-protocol-c)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto>=3.0)
pkg_check_modules(CMARK IMPORTED_TARGET libcmark)
pkg_check_modules(QRENCODE IMPORTED_TARGET libqrencode)
