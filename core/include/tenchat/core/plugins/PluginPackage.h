// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/Manifest.h"
#include "tenchat/core/plugins/PluginError.h"
#include "tenchat/crypto/SecretBytes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

namespace tenchat::core::plugins {

enum class SignatureStatus {
    Unsigned, // no signature in the manifest
    Valid, // the publisher key signed exactly these files and this manifest
};

// A plugin package read into memory: a folder or a .zip holding manifest.json,
// main.js and any other files (all covered by the signature).
//
// Limits: at most 256 files, 1 MiB per file, 4 MiB in total; paths are
// relative, '/'-separated, made of [A-Za-z0-9._-] components, never '.',
// '..', empty or hidden; links are refused.
//
// The signed bytes (what the publisher's Ed25519 key signs), UTF-8:
//   "tenchat-plugin-signature-v1\n"
//   "manifest " + hex(SHA-256(canonical manifest without "signature")) + "\n"
//   for each other file, sorted by path (bytewise):
//   "file " + path + " " + hex(SHA-256(file bytes)) + "\n"
// The canonical manifest is its JSON with object keys sorted, no whitespace,
// integers without a fraction (QJsonDocument::Compact); docs/plugins.md.
class PluginPackage {
public:
    static constexpr int kMaxFiles = 256;
    static constexpr qint64 kMaxFileBytes = 1024 * 1024;
    static constexpr qint64 kMaxTotalBytes = 4 * 1024 * 1024;

    // A folder or a .zip file.
    static PluginExpected<PluginPackage> load(const QString& path);
    // Validates the manifest and the entry point of in-memory files.
    static PluginExpected<PluginPackage> fromFiles(const QMap<QString, QByteArray>& files);
    static bool safePath(const QString& path);

    const Manifest& manifest() const { return manifest_; }
    const QMap<QString, QByteArray>& files() const { return files_; }
    QByteArray mainScript() const { return files_.value(QStringLiteral("main.js")); }

    QByteArray signedBytes() const;
    // Hex SHA-256 of signedBytes(): identifies the installed content.
    QString digest() const;
    // Unsigned, Valid, or the SignatureInvalid error (tampered package).
    PluginExpected<SignatureStatus> verifySignature() const;

    // Writes every file below `dir` (created; must not exist yet).
    PluginOk writeTo(const QString& dir) const;

    // Signs `files` (manifest.json is rewritten with the publisher and the
    // signature) with an Ed25519 secret key (libsodium form, 64 bytes).
    static PluginExpected<QMap<QString, QByteArray>> sign(
        QMap<QString, QByteArray> files, const crypto::SecretBytes& secretKey, const QString& publisherName);

private:
    Manifest manifest_;
    QJsonObject manifestObject_;
    QMap<QString, QByteArray> files_;
};

} // namespace tenchat::core::plugins
