# SPDX-License-Identifier: GPL-3.0-or-later
# `cpack -G DEB` and `cpack -G TGZ` from the build directory.
set(CPACK_PACKAGE_NAME "tenchat")
set(CPACK_PACKAGE_VENDOR "The TenChat developers")
set(CPACK_PACKAGE_CONTACT "The TenChat developers <dev@tenchat.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "End-to-end encrypted desktop messenger with a bundled relay")
set(CPACK_PACKAGE_DESCRIPTION
  "TenChat is an end-to-end encrypted desktop messenger (Qt Quick) with an\noffline-first encrypted store, the Signal protocol, a small relay server\n(tenchat-relay) and a command-line client (tenchat-cli).\nLicence: GPL-3.0-or-later.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_FILE_NAME "tenchat-${PROJECT_VERSION}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps derives the library dependencies; QML modules are loaded at
# run time and so are listed by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, qml6-module-qtquick-window, qml6-module-qtquick-templates, qml6-module-qtqml-workerscript, qml6-module-qtquick-dialogs, libqt6svg6")
# The licence travels as Debian's machine-readable copyright file (and in
# the AppStream metainfo); RPM-style generators read CPACK_RPM_PACKAGE_LICENSE.
set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
install(FILES ${CMAKE_SOURCE_DIR}/packaging/debian-copyright
  DESTINATION ${TENCHAT_INSTALL_DOCDIR} RENAME copyright)

set(CPACK_GENERATOR "DEB;TGZ")
include(CPack)
