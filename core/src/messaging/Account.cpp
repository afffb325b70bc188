// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/Account.h"

#include "tenchat/core/messaging/RelayClient.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/crypto/Identity.h"
#include "tenchat/crypto/PreKeys.h"
#include "tenchat/protocol/Protocol.h"

#include <QDateTime>

namespace tenchat::core::messaging {

namespace {

const QString kUrlKey = QStringLiteral("account.relay");
const QString kHandleKey = QStringLiteral("account.handle");
const QString kUserIdKey = QStringLiteral("account.userId");
const QString kDeviceIdKey = QStringLiteral("account.deviceId");
const QString kSignedPreKeyIdKey = QStringLiteral("account.signedPreKeyId");
const QString kNextPreKeyIdKey = QStringLiteral("account.nextPreKeyId");

Unexpected<MessagingError> fromStore(const store::StoreError& error)
{
    return messagingError(MessagingErrorCode::Store, error.message);
}

Unexpected<MessagingError> fromCrypto(const crypto::CryptoError& error)
{
    return messagingError(MessagingErrorCode::Crypto, QString::fromStdString(error.message));
}

QString relayFailure(const tenchat::v1::Response& response)
{
    return QStringLiteral("%1 (status %2)").arg(QString::fromStdString(response.reason())).arg(int(response.status()));
}

// Shared tail of registration and of a linked device's first login: the
// signed challenge, then the signed pre-key and a batch of one-time pre-keys.
void authenticateThenUpload(Account& account, RelayClient& client, const QByteArray& userId, std::uint32_t deviceId,
    const QByteArray& signature, std::function<void(MessagingOk)> done)
{
    tenchat::v1::Request auth;
    auth.mutable_authenticate()->set_user_id(userId.toStdString());
    auth.mutable_authenticate()->set_device_id(deviceId);
    auth.mutable_authenticate()->set_signature(signature.toStdString());
    client.request(auth, [&account, &client, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayFailure(*r), r->status()));
        auto upload = account.preKeyUpload(true, Account::kPreKeyBatch);
        if (!upload)
            return done(Unexpected(upload.error()));
        tenchat::v1::Request req;
        *req.mutable_upload_pre_keys() = *upload;
        client.request(req, [done](MessagingExpected<tenchat::v1::Response> r) {
            if (!r)
                return done(Unexpected(r.error()));
            if (r->status() != tenchat::v1::STATUS_OK)
                return done(messagingError(MessagingErrorCode::Relay, relayFailure(*r), r->status()));
            done({});
        });
    });
}
} // namespace

Account::Account(std::unique_ptr<store::ProfileStore> store) : owned_(std::move(store)), store_(owned_.get())
{ }

Account::Account(store::ProfileStore& store) : store_(&store)
{ }

MessagingExpected<std::unique_ptr<Account>> Account::create(
    const QString& dir, std::string_view passphrase, const store::ProfileOptions& options)
{
    auto created = store::ProfileStore::create(dir, passphrase, options);
    if (!created)
        return fromStore(created.error());
    std::unique_ptr<Account> account(new Account(std::move(created).value()));
    if (auto ok = account->initializeIdentity(); !ok)
        return Unexpected(ok.error());
    if (auto ok = account->load(); !ok)
        return Unexpected(ok.error());
    return account;
}

MessagingExpected<std::unique_ptr<Account>> Account::attach(store::ProfileStore& store)
{
    std::unique_ptr<Account> account(new Account(store));
    if (!store.protocolStore().localIdentity()) {
        if (auto ok = account->initializeIdentity(); !ok)
            return Unexpected(ok.error());
    }
    if (auto ok = account->load(); !ok)
        return Unexpected(ok.error());
    return account;
}

MessagingOk Account::initializeIdentity()
{
    auto identity = crypto::generateLocalIdentity();
    if (!identity)
        return fromCrypto(identity.error());
    auto& protocol = store_->protocolStore();
    if (auto ok = protocol.setLocalIdentity(*identity); !ok)
        return messagingError(MessagingErrorCode::Store, QString::fromStdString(ok.error().message));
    const auto now = std::uint64_t(QDateTime::currentMSecsSinceEpoch());
    if (auto spk = crypto::generateSignedPreKey(protocol, 1, now); !spk)
        return fromCrypto(spk.error());
    if (auto ok = setIntSetting(kSignedPreKeyIdKey, 1); !ok)
        return ok;
    return setIntSetting(kNextPreKeyIdKey, 1);
}

MessagingExpected<std::unique_ptr<Account>> Account::open(
    const QString& dir, std::string_view passphrase, const store::ProfileOptions& options)
{
    auto opened = store::ProfileStore::open(dir, passphrase, options);
    if (!opened)
        return fromStore(opened.error());
    std::unique_ptr<Account> account(new Account(std::move(opened).value()));
    if (auto ok = account->load(); !ok)
        return Unexpected(ok.error());
    return account;
}

MessagingOk Account::load()
{
    auto identity = store_->protocolStore().localIdentity();
    if (!identity)
        return messagingError(MessagingErrorCode::Store, QString::fromStdString(identity.error().message));
    identityPublicKey_
        = QByteArray(reinterpret_cast<const char*>(identity->publicKey.data()), qsizetype(identity->publicKey.size()));
    registrationId_ = identity->registrationId;
    auto& kv = store_->keyValues();
    auto userId = kv.setting(kUserIdKey);
    if (!userId)
        return fromStore(userId.error());
    if (!userId->has_value())
        return {};
    userId_ = **userId;
    auto handle = kv.setting(kHandleKey);
    auto url = kv.setting(kUrlKey);
    auto device = intSetting(kDeviceIdKey, 0);
    if (!handle || !url || !device)
        return messagingError(MessagingErrorCode::Store, QStringLiteral("account settings unreadable"));
    handle_ = QString::fromUtf8(handle->value_or(QByteArray()));
    relayUrl_ = QUrl(QString::fromUtf8(url->value_or(QByteArray())));
    deviceId_ = std::uint32_t(*device);
    return {};
}

MessagingExpected<qint64> Account::intSetting(const QString& key, qint64 fallback)
{
    auto value = store_->keyValues().setting(key);
    if (!value)
        return fromStore(value.error());
    if (!value->has_value())
        return fallback;
    return (**value).toLongLong();
}

MessagingOk Account::setIntSetting(const QString& key, qint64 value)
{
    if (auto ok = store_->keyValues().setSetting(key, QByteArray::number(value)); !ok)
        return fromStore(ok.error());
    return {};
}

MessagingOk Account::saveRegistration(
    const QUrl& url, const QString& handle, const QByteArray& userId, std::uint32_t deviceId)
{
    auto& kv = store_->keyValues();
    store::Transaction tx(store_->database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    if (auto ok = kv.setSetting(kUrlKey, url.toString().toUtf8()); !ok)
        return fromStore(ok.error());
    if (auto ok = kv.setSetting(kHandleKey, handle.toUtf8()); !ok)
        return fromStore(ok.error());
    if (auto ok = kv.setSetting(kUserIdKey, userId); !ok)
        return fromStore(ok.error());
    if (auto ok = setIntSetting(kDeviceIdKey, deviceId); !ok)
        return ok;
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    relayUrl_ = url;
    handle_ = handle;
    userId_ = userId;
    deviceId_ = deviceId;
    return {};
}

MessagingExpected<QByteArray> Account::sign(const std::string& payload)
{
    auto identity = store_->protocolStore().localIdentity();
    if (!identity)
        return messagingError(MessagingErrorCode::Store, QString::fromStdString(identity.error().message));
    auto signature = crypto::signWithIdentity(identity->privateKey, crypto::asBytes(payload));
    if (!signature)
        return fromCrypto(signature.error());
    return QByteArray(reinterpret_cast<const char*>(signature->data()), qsizetype(signature->size()));
}

MessagingExpected<tenchat::v1::UploadPreKeysRequest> Account::preKeyUpload(bool includeSigned, std::uint32_t count)
{
    tenchat::v1::UploadPreKeysRequest upload;
    auto& protocol = store_->protocolStore();
    if (includeSigned) {
        auto spkId = intSetting(kSignedPreKeyIdKey, 1);
        if (!spkId)
            return Unexpected(spkId.error());
        auto bundle = crypto::buildLocalBundle(protocol, std::int32_t(deviceId_), std::uint32_t(*spkId), std::nullopt);
        if (!bundle)
            return fromCrypto(bundle.error());
        auto* spk = upload.mutable_signed_pre_key();
        spk->set_key_id(bundle->signedPreKey.id);
        spk->set_public_key(crypto::toString(bundle->signedPreKey.publicKey));
        spk->set_signature(crypto::toString(bundle->signedPreKey.signature));
        spk->set_timestamp_ms(bundle->signedPreKey.timestampMs);
    }
    if (count > 0) {
        auto next = intSetting(kNextPreKeyIdKey, 1);
        if (!next)
            return Unexpected(next.error());
        store::Transaction tx(store_->database());
        if (!tx.begun())
            return fromStore(tx.begun().error());
        auto keys = crypto::generatePreKeys(protocol, std::uint32_t(*next), count);
        if (!keys)
            return fromCrypto(keys.error());
        std::uint32_t following = std::uint32_t(*next) + count;
        if (following > crypto::kMaxPreKeyId)
            following -= crypto::kMaxPreKeyId;
        if (auto ok = setIntSetting(kNextPreKeyIdKey, following); !ok)
            return Unexpected(ok.error());
        if (auto ok = tx.commit(); !ok)
            return fromStore(ok.error());
        for (const auto& key : *keys) {
            auto* k = upload.add_one_time_pre_keys();
            k->set_key_id(key.id);
            k->set_public_key(crypto::toString(key.publicKey));
        }
    }
    return upload;
}

void Account::registerOnRelay(
    RelayClient& client, const QUrl& relayUrl, const QString& handle, std::function<void(MessagingOk)> done)
{
    tenchat::v1::Request hello;
    hello.mutable_hello()->add_versions(protocol::kProtocolVersion);
    hello.mutable_hello()->set_client_name("tenchat-core/" TENCHAT_VERSION_STRING);
    client.request(hello, [this, &client, relayUrl, handle, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayFailure(*r), r->status()));
        const std::string challenge = r->hello().challenge();
        const std::string handleUtf8 = handle.toStdString();
        const std::string identityKey = identityPublicKey_.toStdString();
        auto signature = sign(protocol::registerAccountPayload(handleUtf8, identityKey));
        if (!signature)
            return done(Unexpected(signature.error()));
        tenchat::v1::Request reg;
        auto* ra = reg.mutable_register_account();
        ra->set_handle(handleUtf8);
        ra->set_identity_key(identityKey);
        ra->set_registration_id(registrationId_);
        ra->set_device_name("tenchat");
        ra->set_signature(signature->toStdString());
        client.request(
            reg, [this, &client, relayUrl, handle, challenge, done](MessagingExpected<tenchat::v1::Response> r) {
                if (!r)
                    return done(Unexpected(r.error()));
                if (r->status() != tenchat::v1::STATUS_OK)
                    return done(messagingError(MessagingErrorCode::Relay, relayFailure(*r), r->status()));
                const QByteArray userId = QByteArray::fromStdString(r->register_account().user_id());
                const std::uint32_t deviceId = r->register_account().device_id();
                auto signature = sign(protocol::authenticatePayload(challenge, userId.toStdString(), deviceId));
                if (!signature)
                    return done(Unexpected(signature.error()));
                if (auto ok = saveRegistration(relayUrl, handle, userId, deviceId); !ok)
                    return done(ok);
                authenticateThenUpload(*this, client, userId, deviceId, *signature, done);
            });
    });
}

} // namespace tenchat::core::messaging

namespace tenchat::core::messaging {

MessagingExpected<std::pair<QByteArray, QByteArray>> Account::identityKeyPair()
{
    auto identity = store_->protocolStore().localIdentity();
    if (!identity)
        return messagingError(MessagingErrorCode::Store, QString::fromStdString(identity.error().message));
    return std::pair {
        QByteArray(reinterpret_cast<const char*>(identity->publicKey.data()), qsizetype(identity->publicKey.size())),
        QByteArray(reinterpret_cast<const char*>(identity->privateKey.data()), qsizetype(identity->privateKey.size()))
    };
}

MessagingOk Account::adoptLinkedIdentity(const QByteArray& identityPublic, const QByteArray& identityPrivate,
    const QUrl& relayUrl, const QString& handle, const QByteArray& userId, std::uint32_t deviceId)
{
    if (!crypto::isValidIdentityPublicKey(crypto::asBytes(identityPublic.toStdString()))
        || identityPrivate.size() != qsizetype(crypto::kIdentityPrivateKeyBytes))
        return messagingError(MessagingErrorCode::Crypto, QStringLiteral("the linked identity key does not parse"));
    auto& protocol = store_->protocolStore();
    crypto::LocalIdentity identity;
    identity.publicKey = crypto::Bytes(identityPublic.begin(), identityPublic.end());
    identity.privateKey = crypto::SecretBytes(crypto::ByteView(
        reinterpret_cast<const std::uint8_t*>(identityPrivate.constData()), std::size_t(identityPrivate.size())));
    identity.registrationId = registrationId_;
    store::Transaction tx(store_->database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    if (auto ok = protocol.setLocalIdentity(identity); !ok)
        return messagingError(MessagingErrorCode::Store, QString::fromStdString(ok.error().message));
    // The signed pre-key made at create() was signed by the throwaway identity.
    auto spkId = intSetting(kSignedPreKeyIdKey, 1);
    if (!spkId)
        return Unexpected(spkId.error());
    const auto newId = std::uint32_t(*spkId) + 1;
    if (auto spk = crypto::generateSignedPreKey(protocol, newId, std::uint64_t(QDateTime::currentMSecsSinceEpoch()));
        !spk)
        return fromCrypto(spk.error());
    (void)protocol.removeSignedPreKey(std::uint32_t(*spkId));
    if (auto ok = setIntSetting(kSignedPreKeyIdKey, newId); !ok)
        return ok;
    if (auto ok = saveRegistration(relayUrl, handle, userId, deviceId); !ok)
        return ok;
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    identityPublicKey_ = identityPublic;
    return {};
}

void Account::authenticateAndPublish(RelayClient& client, std::function<void(MessagingOk)> done)
{
    tenchat::v1::Request challengeRequest;
    challengeRequest.mutable_challenge();
    client.request(challengeRequest, [this, &client, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayFailure(*r), r->status()));
        auto signature
            = sign(protocol::authenticatePayload(r->challenge().challenge(), userId_.toStdString(), deviceId_));
        if (!signature)
            return done(Unexpected(signature.error()));
        authenticateThenUpload(*this, client, userId_, deviceId_, *signature, done);
    });
}

} // namespace tenchat::core::messaging
