// SPDX-License-Identifier: GPL-3.0-or-later
#include "PluginPackages.h"

#include "tenchat/core/plugins/PluginPackage.h"
#include "tenchat/crypto/Ed25519.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdlib>
#include <cstring>

#include <zip.h>

namespace tenchat::testing {

using core::plugins::PluginPackage;

namespace {

QMap<QString, QByteArray> files(const QString& name, const QString& capabilityExtra = {})
{
    QString caps = QStringLiteral("\"receive.command\", \"emit.message\"");
    if (!capabilityExtra.isEmpty())
        caps += QStringLiteral(", \"%1\"").arg(capabilityExtra);
    const QString manifest = QStringLiteral(R"({
        "manifestVersion": 1, "name": "%1", "version": "1.0.0",
        "description": "Says hello when someone types /hello.",
        "capabilities": [%2], "resourceScopes": ["all"],
        "limits": { "messagesPerMinute": 10 },
        "commands": [ { "name": "hello", "description": "greet the conversation" } ]
    })")
                                 .arg(name, caps);
    return { { QStringLiteral("manifest.json"), manifest.toUtf8() },
        { QStringLiteral("main.js"),
            QByteArray(
                "tenchat.on('command', function (c) { tenchat.messages.send(c.conversationId, 'Hello!'); });\n") } };
}

bool writeFolder(const QString& dir, const QMap<QString, QByteArray>& files)
{
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString path = QDir(dir).filePath(it.key());
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(it.value()) != it.value().size())
            return false;
    }
    return true;
}

bool writeZip(const QString& path, const QMap<QString, QByteArray>& entries)
{
    int err = 0;
    zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return false;
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        void* copy = malloc(size_t(it.value().size()));
        memcpy(copy, it.value().constData(), size_t(it.value().size()));
        zip_source_t* src = zip_source_buffer(z, copy, zip_uint64_t(it.value().size()), 1);
        if (!src || zip_file_add(z, name.constData(), src, ZIP_FL_ENC_UTF_8) < 0) {
            zip_discard(z);
            return false;
        }
    }
    return zip_close(z) == 0;
}

} // namespace

QString PluginPackages::create(const QString& dir)
{
    const auto keys = crypto::generateEd25519KeyPair();
    auto greeter = PluginPackage::sign(
        files(QStringLiteral("org.example.greeter")), keys.secretKey, QStringLiteral("Example Ltd"));
    auto weather = PluginPackage::sign(
        files(QStringLiteral("org.example.weather")), keys.secretKey, QStringLiteral("Example Ltd"));
    if (!greeter || !weather)
        return QStringLiteral("signing failed");
    signedFolder = QDir(dir).filePath(QStringLiteral("greeter"));
    secondSigned = QDir(dir).filePath(QStringLiteral("weather"));
    unsignedFolder = QDir(dir).filePath(QStringLiteral("unsigned"));
    unknownCapability = QDir(dir).filePath(QStringLiteral("unknown-capability"));
    traversalZip = QDir(dir).filePath(QStringLiteral("traversal.zip"));
    auto traversal = files(QStringLiteral("org.example.evil"));
    traversal.insert(QStringLiteral("../evil.js"), QByteArray("// escapes the folder\n"));
    if (!writeFolder(signedFolder, *greeter) || !writeFolder(secondSigned, *weather)
        || !writeFolder(unsignedFolder, files(QStringLiteral("org.example.unsigned")))
        || !writeFolder(unknownCapability, files(QStringLiteral("org.example.nosy"), QStringLiteral("read.contacts")))
        || !writeZip(traversalZip, traversal))
        return QStringLiteral("could not write the packages under %1").arg(dir);
    return {};
}

} // namespace tenchat::testing
