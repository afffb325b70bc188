// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/LibraryVersions.h"

#include <google/protobuf/stubs/common.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <sqlcipher/sqlite3.h>
#include <zstd.h>

namespace tenchat::core {

QList<QPair<QString, QString>> libraryVersions()
{
    return {
        { QStringLiteral("libsignal-protocol-c"), QStringLiteral(TENCHAT_LIBSIGNAL_VERSION) },
        { QStringLiteral("libsodium"), QString::fromLatin1(sodium_version_string()) },
        { QStringLiteral("OpenSSL"), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION)) },
        { QStringLiteral("SQLCipher (SQLite)"), QString::fromLatin1(sqlite3_libversion()) },
        { QStringLiteral("zstd"), QString::fromLatin1(ZSTD_versionString()) },
        { QStringLiteral("Protocol Buffers"),
            QString::fromStdString(google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)) },
    };
}

} // namespace tenchat::core
