// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/SignedPreKeyRotation.h"

#include "MessagingUtil.h"
#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/crypto/PreKeys.h"

namespace tenchat::core::messaging {

using namespace util;

namespace {

const QString kIdKey = QStringLiteral("account.signedPreKeyId");
const QString kAtKey = QStringLiteral("account.signedPreKeyAt");
const QString kPreviousKey = QStringLiteral("account.previousSignedPreKeyId");
const QString kRetiredKey = QStringLiteral("account.previousSignedPreKeyRetiredAt");
const QString kUnpublishedKey = QStringLiteral("account.signedPreKeyUnpublished");

// Signed pre-key ids are 24-bit in libsignal; wrap and skip 0.
std::uint32_t nextId(std::uint32_t id)
{
    return id >= 0xFFFFFF ? 1 : id + 1;
}

} // namespace

SignedPreKeyRotation::SignedPreKeyRotation(Account& account, Clock clock) : account_(account), clock_(std::move(clock))
{ }

qint64 SignedPreKeyRotation::now() const
{
    return clock_ ? clock_() : nowMs();
}

MessagingExpected<std::uint32_t> SignedPreKeyRotation::currentId()
{
    auto v = account_.store().keyValues().setting(kIdKey);
    if (!v)
        return fromStore(v.error());
    return v->has_value() ? std::uint32_t((**v).toULongLong()) : 1u;
}

MessagingExpected<std::optional<std::uint32_t>> SignedPreKeyRotation::previousId()
{
    auto v = account_.store().keyValues().setting(kPreviousKey);
    if (!v)
        return fromStore(v.error());
    if (!v->has_value() || (**v).isEmpty())
        return std::optional<std::uint32_t>();
    return std::optional<std::uint32_t>(std::uint32_t((**v).toULongLong()));
}

MessagingExpected<std::optional<tenchat::v1::UploadPreKeysRequest>> SignedPreKeyRotation::check()
{
    using Result = std::optional<tenchat::v1::UploadPreKeysRequest>;
    auto& kv = account_.store().keyValues();
    auto& protocol = account_.store().protocolStore();
    const qint64 t = now();
    auto id = currentId();
    if (!id)
        return Unexpected(id.error());
    auto at = kv.setting(kAtKey);
    auto retired = kv.setting(kRetiredKey);
    auto previous = previousId();
    auto unpublished = kv.setting(kUnpublishedKey);
    if (!at || !retired || !unpublished)
        return fromStore(!at ? at.error() : !retired ? retired.error() : unpublished.error());
    if (!previous)
        return Unexpected(previous.error());

    store::Transaction tx(account_.store().database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    // A profile from before rotation existed: its key's age starts now.
    if (!at->has_value())
        if (auto ok = kv.setSetting(kAtKey, QByteArray::number(t)); !ok)
            return fromStore(ok.error());
    const qint64 since = at->has_value() ? (**at).toLongLong() : t;

    // The previous key's grace period ended: delete it.
    if (*previous && retired->has_value() && t - (**retired).toLongLong() >= kGraceMs) {
        if (auto ok = protocol.removeSignedPreKey(**previous); !ok)
            return messagingError(MessagingErrorCode::Store, QString::fromStdString(ok.error().message));
        if (auto ok = kv.setSetting(kPreviousKey, QByteArray()); !ok)
            return fromStore(ok.error());
        (void)account_.store().audit(QStringLiteral("signed-prekey-deleted"), QString::number(**previous));
    }

    bool needsUpload = unpublished->has_value() && **unpublished == "1";
    if (t - since >= kRotationIntervalMs) {
        const std::uint32_t fresh = nextId(*id);
        if (auto spk = crypto::generateSignedPreKey(protocol, fresh, std::uint64_t(t)); !spk)
            return fromCrypto(spk.error());
        // A previous key still in grace is dropped now: only one is kept.
        auto stillPrevious = previousId();
        if (stillPrevious && *stillPrevious && **stillPrevious != *id)
            (void)protocol.removeSignedPreKey(**stillPrevious);
        if (!kv.setSetting(kPreviousKey, QByteArray::number(*id)) || !kv.setSetting(kRetiredKey, QByteArray::number(t))
            || !kv.setSetting(kIdKey, QByteArray::number(fresh)) || !kv.setSetting(kAtKey, QByteArray::number(t))
            || !kv.setSetting(kUnpublishedKey, "1"))
            return messagingError(MessagingErrorCode::Store, QStringLiteral("cannot save the rotation"));
        (void)account_.store().audit(QStringLiteral("signed-prekey-rotated"), QString::number(fresh));
        needsUpload = true;
    }
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    if (!needsUpload)
        return Result();
    auto upload = account_.preKeyUpload(true, 0);
    if (!upload)
        return Unexpected(upload.error());
    return Result(std::move(upload).value());
}

MessagingOk SignedPreKeyRotation::markPublished()
{
    if (auto ok = account_.store().keyValues().setSetting(kUnpublishedKey, "0"); !ok)
        return fromStore(ok.error());
    return {};
}

} // namespace tenchat::core::messaging
