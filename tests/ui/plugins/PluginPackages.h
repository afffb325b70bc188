// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Plugin packages on disk for the plugins page tests: a signed one, a second
// one from the same publisher, an unsigned one and invalid ones.
namespace tenchat::testing {

struct PluginPackages {
    QString signedFolder; // org.example.greeter, signed by "Example Ltd"
    QString secondSigned; // org.example.weather, same publisher key
    QString unsignedFolder; // org.example.unsigned
    QString traversalZip; // a zip with "../evil.js": UnsafePath
    QString unknownCapability; // a folder whose manifest asks for "read.contacts": UnknownCapability

    // Writes them under `dir`; "" on success, else what failed.
    QString create(const QString& dir);
};

} // namespace tenchat::testing
