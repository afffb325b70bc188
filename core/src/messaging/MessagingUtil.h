// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small conversions shared by the messaging sources (not a public API).

#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"
#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/v1/common.pb.h"
#include "tenchat/v1/frame.pb.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDateTime>
#include <QString>

#include <string>

namespace tenchat::core::messaging::util {

inline QString hex(const std::string& bytes)
{
    return QString::fromLatin1(QByteArray::fromStdString(bytes).toHex());
}

inline std::string unhex(const QString& hexText)
{
    return QByteArray::fromHex(hexText.toLatin1()).toStdString();
}

inline std::string asString(const crypto::Bytes& bytes)
{
    return crypto::toString(bytes);
}

inline crypto::Bytes asBytes(const std::string& text)
{
    return crypto::Bytes(text.begin(), text.end());
}

// The 16-byte wire id of a message: a hash of its ULID, so the relay's
// idempotence key is fixed by the id the sender committed locally. The ULID
// itself travels inside the ciphertext and is checked against it.
inline std::string wireMessageId(const QString& ulid)
{
    QByteArray digest
        = QCryptographicHash::hash("tenchat-message-id-v1:" + ulid.toLatin1(), QCryptographicHash::Sha256);
    return digest.left(16).toStdString();
}

// Outbox items held for a trust decision wait until this time, which keeps
// them out of due() until trust() releases them.
constexpr qint64 kHeldUntil = qint64(1) << 60;

// Settings key listing the devices of a contact whose identity change waits
// for the user's decision.
inline QString pendingIdentityKey(const QString& userHex)
{
    return QStringLiteral("identity.pending.") + userHex;
}

inline QString relayReason(const tenchat::v1::Response& r)
{
    return QStringLiteral("%1 (status %2)").arg(QString::fromStdString(r.reason())).arg(int(r.status()));
}

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A member's role on the relay as the store keeps it.
inline store::MemberRole memberRole(int wireRole)
{
    switch (wireRole) {
    case tenchat::v1::ROLE_OWNER: return store::MemberRole::Owner;
    case tenchat::v1::ROLE_ADMIN: return store::MemberRole::Admin;
    default: return store::MemberRole::Member;
    }
}

inline Unexpected<MessagingError> fromStore(const store::StoreError& error)
{
    return messagingError(MessagingErrorCode::Store, error.message);
}

inline Unexpected<MessagingError> fromCrypto(const crypto::CryptoError& error)
{
    if (error.code == crypto::CryptoErrorCode::UntrustedIdentity)
        return messagingError(MessagingErrorCode::Untrusted, QString::fromStdString(error.message));
    return messagingError(MessagingErrorCode::Crypto, QString::fromStdString(error.message));
}

} // namespace tenchat::core::messaging::util
