// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/ProfileHeader.h"

#include <sodium.h>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace tenchat::core::store {

namespace {

constexpr const char* kMagic = "tenchat-profile-header";

QString toBase64(const crypto::Bytes& bytes)
{
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())).toBase64());
}

bool fromBase64(const QJsonValue& value, crypto::Bytes& out)
{
    if (!value.isString())
        return false;
    auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    out.assign(decoded.decoded.begin(), decoded.decoded.end());
    return true;
}

} // namespace

ProfileHeader ProfileHeader::fresh(const crypto::Argon2Params& params)
{
    ProfileHeader header;
    header.params_ = params;
    header.salt_ = crypto::newArgon2Salt();
    return header;
}

QByteArray ProfileHeader::canonicalContent() const
{
    QJsonObject kdf { { "algorithm", "argon2id13" }, { "ops", static_cast<qint64>(params_.opsLimit) },
        { "mem", static_cast<qint64>(params_.memLimitBytes) }, { "salt", toBase64(salt_) } };
    QJsonObject cipher { { "page_size", cipher_.pageSize }, { "hmac", cipher_.hmacAlgorithm },
        { "kdf", cipher_.kdfAlgorithm } };
    QJsonObject root { { "magic", kMagic }, { "version", kFormatVersion }, { "kdf", kdf }, { "cipher", cipher },
        { "verifier", toBase64(verifier_) } };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

StoreOk ProfileHeader::writeAtomically(const QString& path) const
{
    const QByteArray content = canonicalContent();
    QJsonObject root = QJsonDocument::fromJson(content).object();
    root.insert("checksum", QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return storeError(StoreErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) // QSaveFile flushes, fsyncs and renames
        return storeError(StoreErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

StoreExpected<ProfileHeader> ProfileHeader::read(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no profile header at %1").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return storeError(StoreErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray raw = file.read(64 * 1024);
    auto damaged = [&](const QString& why) {
        return storeError(StoreErrorCode::DamagedHeader, QStringLiteral("%1: %2").arg(path, why));
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return damaged(QStringLiteral("not valid JSON"));
    const QJsonObject root = document.object();
    if (root.value("magic").toString() != QLatin1String(kMagic))
        return damaged(QStringLiteral("not a TenChat profile header"));
    if (root.value("version").toInt(-1) != kFormatVersion)
        return damaged(QStringLiteral("unsupported header version"));

    ProfileHeader header;
    const QJsonObject kdf = root.value("kdf").toObject();
    const QJsonObject cipher = root.value("cipher").toObject();
    header.params_.opsLimit = static_cast<std::uint64_t>(kdf.value("ops").toInteger(0));
    header.params_.memLimitBytes = static_cast<std::uint64_t>(kdf.value("mem").toInteger(0));
    header.cipher_.pageSize = cipher.value("page_size").toInt(0);
    header.cipher_.hmacAlgorithm = cipher.value("hmac").toString();
    header.cipher_.kdfAlgorithm = cipher.value("kdf").toString();
    if (kdf.value("algorithm").toString() != QLatin1String("argon2id13") || !fromBase64(kdf.value("salt"), header.salt_)
        || !fromBase64(root.value("verifier"), header.verifier_))
        return damaged(QStringLiteral("missing key derivation fields"));
    if (header.salt_.size() != crypto::kArgon2SaltBytes || header.verifier_.size() != 32
        || !header.params_.withinBounds() || header.cipher_.pageSize < 512 || header.cipher_.pageSize > 65536
        || header.cipher_.hmacAlgorithm.isEmpty() || header.cipher_.kdfAlgorithm.isEmpty())
        return damaged(QStringLiteral("out-of-range fields"));
    const QByteArray expected = QCryptographicHash::hash(header.canonicalContent(), QCryptographicHash::Sha256).toHex();
    if (root.value("checksum").toString().toLatin1() != expected)
        return damaged(QStringLiteral("checksum mismatch"));
    return header;
}

StoreExpected<ProfileHeader::DerivedKey> ProfileHeader::derive(std::string_view passphrase, bool adoptVerifier)
{
    auto material = crypto::deriveKeyArgon2id(passphrase, salt_, params_, 64);
    if (!material)
        return storeError(StoreErrorCode::InvalidArgument,
            QStringLiteral("key derivation failed: %1").arg(QString::fromStdString(material.error().message)));
    DerivedKey key;
    key.databaseKey = crypto::SecretBytes(material->view().subspan(0, 32));
    const auto verifier = material->view().subspan(32, 32);
    key.verifier.assign(verifier.begin(), verifier.end());
    if (adoptVerifier) {
        verifier_ = key.verifier;
    } else if (verifier_.size() != 32 || sodium_memcmp(verifier_.data(), verifier.data(), 32) != 0) {
        return storeError(StoreErrorCode::WrongPassphrase, QStringLiteral("the passphrase is not correct"));
    }
    return key;
}

} // namespace tenchat::core::store
