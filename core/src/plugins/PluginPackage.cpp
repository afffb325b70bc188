// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/PluginPackage.h"

#include "ZipReader.h"

#include "tenchat/crypto/Ed25519.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace tenchat::core::plugins {

bool safePathComponentCheck(const QString& path);

namespace {

using Code = PluginErrorCode;

QByteArray sha256Hex(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

crypto::ByteView view(const QByteArray& data)
{
    return crypto::ByteView(
        reinterpret_cast<const std::uint8_t*>(data.constData()), static_cast<std::size_t>(data.size()));
}

PluginExpected<QMap<QString, QByteArray>> readFolder(const QString& root)
{
    QMap<QString, QByteArray> files;
    qint64 total = 0;
    QDirIterator it(root, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    const QDir base(root);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = base.relativeFilePath(path);
        if (info.isSymLink() || !safePathComponentCheck(relative))
            return pluginError(Code::UnsafePath, QStringLiteral("unsafe path '%1'").arg(relative.left(100)));
        if (info.isDir())
            continue;
        if (!info.isFile())
            return pluginError(Code::UnsafePath, QStringLiteral("'%1' is not a regular file").arg(relative));
        if (files.size() >= PluginPackage::kMaxFiles)
            return pluginError(
                Code::PackageTooLarge, QStringLiteral("more than %1 files").arg(PluginPackage::kMaxFiles));
        if (info.size() > PluginPackage::kMaxFileBytes)
            return pluginError(Code::PackageTooLarge,
                QStringLiteral("'%1' exceeds %2 bytes").arg(relative).arg(PluginPackage::kMaxFileBytes));
        total += info.size();
        if (total > PluginPackage::kMaxTotalBytes)
            return pluginError(Code::PackageTooLarge,
                QStringLiteral("the package exceeds %1 bytes").arg(PluginPackage::kMaxTotalBytes));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return pluginError(Code::PackageUnreadable, QStringLiteral("cannot read '%1'").arg(relative));
        QByteArray content = file.read(PluginPackage::kMaxFileBytes + 1);
        if (content.size() > PluginPackage::kMaxFileBytes)
            return pluginError(Code::PackageTooLarge, QStringLiteral("'%1' grew while reading").arg(relative));
        files.insert(relative, content);
    }
    return files;
}

} // namespace

bool PluginPackage::safePath(const QString& path)
{
    return safePathComponentCheck(path);
}

bool safePathComponentCheck(const QString& path)
{
    static const QRegularExpression component(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$"));
    if (path.isEmpty() || path.size() > 255)
        return false;
    for (const QString& part : path.split(QLatin1Char('/'))) {
        // Rejects '', '.', '..' and hidden names (leading dot), backslashes,
        // drive letters and every other character outside the set.
        if (!component.match(part).hasMatch())
            return false;
    }
    return true;
}

PluginExpected<PluginPackage> PluginPackage::load(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return pluginError(Code::PackageNotFound, QStringLiteral("no package at '%1'").arg(path));
    PluginExpected<QMap<QString, QByteArray>> files = info.isDir()
        ? readFolder(info.absoluteFilePath())
        : readZip(info.absoluteFilePath(), kMaxFiles, kMaxFileBytes, kMaxTotalBytes);
    if (!files)
        return makeUnexpected(files.error());
    return fromFiles(*files);
}

PluginExpected<PluginPackage> PluginPackage::fromFiles(const QMap<QString, QByteArray>& files)
{
    if (files.size() > kMaxFiles)
        return pluginError(Code::PackageTooLarge, QStringLiteral("more than %1 files").arg(kMaxFiles));
    qint64 total = 0;
    for (auto it = files.begin(); it != files.end(); ++it) {
        if (!safePath(it.key()))
            return pluginError(Code::UnsafePath, QStringLiteral("unsafe path '%1'").arg(it.key().left(100)));
        if (it.value().size() > kMaxFileBytes)
            return pluginError(
                Code::PackageTooLarge, QStringLiteral("'%1' exceeds %2 bytes").arg(it.key()).arg(kMaxFileBytes));
        total += it.value().size();
    }
    if (total > kMaxTotalBytes)
        return pluginError(Code::PackageTooLarge, QStringLiteral("the package exceeds %1 bytes").arg(kMaxTotalBytes));
    if (!files.contains(QStringLiteral("manifest.json")))
        return pluginError(Code::ManifestMissing, QStringLiteral("no manifest.json at the package root"));
    auto manifest = Manifest::parse(files.value(QStringLiteral("manifest.json")));
    if (!manifest)
        return makeUnexpected(manifest.error());
    if (!files.contains(QStringLiteral("main.js")))
        return pluginError(Code::EntryPointMissing, QStringLiteral("no main.js at the package root"));
    PluginPackage package;
    package.manifest_ = std::move(*manifest);
    package.manifestObject_ = QJsonDocument::fromJson(files.value(QStringLiteral("manifest.json"))).object();
    package.files_ = files;
    return package;
}

QByteArray PluginPackage::signedBytes() const
{
    QByteArray out("tenchat-plugin-signature-v1\n");
    const QByteArray canonical
        = QJsonDocument(Manifest::unsignedObject(manifestObject_)).toJson(QJsonDocument::Compact);
    out += "manifest " + sha256Hex(canonical) + '\n';
    // QMap<QString> orders by UTF-16 code units; bytewise UTF-8 order is what
    // the format promises, so sort the encoded paths.
    QList<QByteArray> paths;
    for (auto it = files_.begin(); it != files_.end(); ++it)
        if (it.key() != QLatin1String("manifest.json"))
            paths << it.key().toUtf8();
    std::sort(paths.begin(), paths.end());
    for (const QByteArray& p : paths)
        out += "file " + p + ' ' + sha256Hex(files_.value(QString::fromUtf8(p))) + '\n';
    return out;
}

QString PluginPackage::digest() const
{
    return QString::fromLatin1(sha256Hex(signedBytes()));
}

PluginExpected<SignatureStatus> PluginPackage::verifySignature() const
{
    if (!manifest_.signedPackage())
        return SignatureStatus::Unsigned;
    if (!crypto::verifyEd25519(view(manifest_.publisherKey), view(signedBytes()), view(manifest_.signature)))
        return pluginError(Code::SignatureInvalid, QStringLiteral("the signature does not match the package contents"));
    return SignatureStatus::Valid;
}

PluginOk PluginPackage::writeTo(const QString& dir) const
{
    QDir root(dir);
    if (root.exists())
        return pluginError(Code::AlreadyInstalled, QStringLiteral("'%1' exists already").arg(dir));
    for (auto it = files_.begin(); it != files_.end(); ++it) {
        const QString target = root.filePath(it.key());
        if (!QDir().mkpath(QFileInfo(target).absolutePath()))
            return pluginError(Code::Environment, QStringLiteral("cannot create '%1'").arg(target));
        QFile file(target);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(it.value()) != it.value().size())
            return pluginError(Code::Environment, QStringLiteral("cannot write '%1'").arg(target));
    }
    return {};
}

PluginExpected<QMap<QString, QByteArray>> PluginPackage::sign(
    QMap<QString, QByteArray> files, const crypto::SecretBytes& secretKey, const QString& publisherName)
{
    if (secretKey.size() != crypto::kEd25519SecretKeyBytes)
        return pluginError(Code::InvalidArgument, QStringLiteral("the secret key must have 64 bytes"));
    QJsonParseError parseError;
    QJsonObject manifest = QJsonDocument::fromJson(files.value(QStringLiteral("manifest.json")), &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return pluginError(Code::ManifestNotJson, QStringLiteral("manifest.json is not a JSON object"));
    // The public key is the second half of libsodium's secret key.
    const QByteArray publicKey(reinterpret_cast<const char*>(secretKey.data()) + 32, 32);
    manifest.remove(QStringLiteral("signature"));
    manifest.insert(QStringLiteral("publisher"),
        QJsonObject { { QStringLiteral("name"), publisherName },
            { QStringLiteral("publicKey"), QString::fromLatin1(publicKey.toBase64()) } });
    files.insert(QStringLiteral("manifest.json"), QJsonDocument(manifest).toJson(QJsonDocument::Indented));
    auto package = fromFiles(files);
    if (!package)
        return makeUnexpected(package.error());
    auto signature = crypto::signEd25519(secretKey, view(package->signedBytes()));
    if (!signature)
        return pluginError(Code::InvalidArgument, QStringLiteral("signing failed"));
    manifest.insert(QStringLiteral("signature"),
        QString::fromLatin1(
            QByteArray(reinterpret_cast<const char*>(signature->data()), static_cast<qsizetype>(signature->size()))
                .toBase64()));
    files.insert(QStringLiteral("manifest.json"), QJsonDocument(manifest).toJson(QJsonDocument::Indented));
    return files;
}

} // namespace tenchat::core::plugins
