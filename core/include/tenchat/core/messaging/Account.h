// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/v1/keys.pb.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <utility>

namespace tenchat::core::messaging {

class RelayClient;

// One profile's account: the encrypted store, this device's identity and
// pre-keys, and the registration on a relay (user id, device id, handle).
// The registration lives in the store's settings, so it survives restarts.
class Account {
public:
    static constexpr std::uint32_t kPreKeyBatch = 100;

    // Creates the profile directory: store, identity, signed pre-key and a
    // first batch of one-time pre-keys. Not registered yet.
    static MessagingExpected<std::unique_ptr<Account>> create(
        const QString& dir, std::string_view passphrase, const store::ProfileOptions& options = {});
    static MessagingExpected<std::unique_ptr<Account>> open(
        const QString& dir, std::string_view passphrase, const store::ProfileOptions& options = {});
    // Uses a store opened elsewhere (the desktop client's AsyncStore, on its
    // worker thread), without owning it; the store must outlive the account.
    // A store without an identity yet (just created) gets one, with its
    // signed pre-key, as create() does.
    static MessagingExpected<std::unique_ptr<Account>> attach(store::ProfileStore& store);

    store::ProfileStore& store() { return *store_; }

    bool isRegistered() const { return !userId_.isEmpty(); }
    QUrl relayUrl() const { return relayUrl_; }
    QString handle() const { return handle_; }
    QByteArray userId() const { return userId_; } // 16 raw bytes
    QString userIdHex() const { return QString::fromLatin1(userId_.toHex()); }
    std::uint32_t deviceId() const { return deviceId_; }
    QByteArray identityPublicKey() const { return identityPublicKey_; }
    std::uint32_t registrationId() const { return registrationId_; }

    // XEdDSA with this device's identity key.
    MessagingExpected<QByteArray> sign(const std::string& payload);

    // Registers a new account on the relay: `client` must be connected and
    // nothing sent on it yet. hello, register_account, authenticate, then the
    // pre-key upload; the registration is stored before `done` runs.
    void registerOnRelay(
        RelayClient& client, const QUrl& relayUrl, const QString& handle, std::function<void(MessagingOk)> done);

    // Device linking: takes over the account's identity key pair (keeping
    // this device's registration id), signs a fresh signed pre-key with it
    // and stores the registration as device `deviceId` of the account.
    MessagingOk adoptLinkedIdentity(const QByteArray& identityPublic, const QByteArray& identityPrivate,
        const QUrl& relayUrl, const QString& handle, const QByteArray& userId, std::uint32_t deviceId);
    // The identity key pair, for the end-to-end encrypted link transfer only.
    MessagingExpected<std::pair<QByteArray, QByteArray>> identityKeyPair();

    // Hello, challenge authentication as this device and the signed plus a
    // batch of one-time pre-keys, on a connected `client` (a linked device's
    // first connection).
    void authenticateAndPublish(RelayClient& client, std::function<void(MessagingOk)> done);

    // The signed pre-key and/or `count` new one-time pre-keys to upload.
    MessagingExpected<tenchat::v1::UploadPreKeysRequest> preKeyUpload(bool includeSigned, std::uint32_t count);

private:
    explicit Account(std::unique_ptr<store::ProfileStore> store);
    explicit Account(store::ProfileStore& store);
    MessagingOk initializeIdentity();
    MessagingOk load();
    MessagingOk saveRegistration(
        const QUrl& url, const QString& handle, const QByteArray& userId, std::uint32_t deviceId);
    MessagingExpected<qint64> intSetting(const QString& key, qint64 fallback);
    MessagingOk setIntSetting(const QString& key, qint64 value);

    std::unique_ptr<store::ProfileStore> owned_; // null when attached
    store::ProfileStore* store_ = nullptr;
    QUrl relayUrl_;
    QString handle_;
    QByteArray userId_;
    std::uint32_t deviceId_ = 0;
    QByteArray identityPublicKey_;
    std::uint32_t registrationId_ = 0;
};

} // namespace tenchat::core::messaging
