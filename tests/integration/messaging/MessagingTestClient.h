// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One in-process TenChat client for integration tests: a temporary profile
// (fast Argon2id parameters), an account registered on the test relay, and a
// Messenger whose received messages are collected.

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/messaging/RelayClient.h"

#include <QHash>
#include <QList>
#include <QTemporaryDir>
#include <QUrl>

#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>

namespace tenchat::testing {

class MessagingTestClient {
public:
    static constexpr const char* kPassphrase = "test passphrase";
    // Fast Argon2id parameters for test profiles.
    static core::store::ProfileOptions profileOptions();
    // Creates and registers `handle`; nullptr (with `error`) on failure.
    static std::unique_ptr<MessagingTestClient> create(const QUrl& relay, const QString& handle, QString* error);
    // A new device linked to `approver`'s account (the approver must be live).
    static std::unique_ptr<MessagingTestClient> createLinked(
        const QUrl& relay, MessagingTestClient& approver, QString* error);
    // Only the profile (not registered): for linking by hand.
    static std::unique_ptr<MessagingTestClient> createUnregistered(QString* error);
    // Creates the Messenger of a registered account (after linking by hand).
    void attachMessenger();
    // How most tests begin: registers one client per handle, starts them
    // together and waits until all are live. All null (with `error`) when a
    // step fails.
    template <std::size_t N>
    static std::array<std::unique_ptr<MessagingTestClient>, N> createLive(
        const QUrl& relay, const QString (&handles)[N], QString* error)
    {
        std::array<std::unique_ptr<MessagingTestClient>, N> clients;
        for (std::size_t i = 0; i < N; ++i) {
            clients[i] = create(relay, handles[i], error);
            if (!clients[i])
                return {};
        }
        for (auto& client : clients)
            client->start();
        for (auto& client : clients) {
            if (!client->waitLive()) {
                *error = QStringLiteral("a client did not go live");
                return {};
            }
        }
        return clients;
    }
    // Starts the clients together, then waits until each is live.
    static bool startAll(std::initializer_list<MessagingTestClient*> clients, int timeoutMs = 20000);

    core::messaging::Account& account() { return *account_; }
    core::messaging::Messenger& messenger() { return *messenger_; }
    core::store::ProfileStore& store() { return account_->store(); }

    // The profile directory (kept until the client is destroyed).
    QString profilePath() const { return dir_.path() + QStringLiteral("/profile"); }
    // Closes the Messenger and the store, keeping the profile on disk (another
    // process may use it meanwhile); reopenProfile() opens it again.
    void closeProfile();
    bool reopenProfile(QString* error);

    void start() { messenger_->start(); }
    void stop() { messenger_->stop(); }
    bool waitLive(int timeoutMs = 20000);
    // Resolves the direct conversation with `handle` (online the first time).
    QString openDirect(const QString& handle, int timeoutMs = 20000);
    // Sends `request` on this client's relay connection, past the engine (to
    // see what the relay stores or refuses); nullopt when it did not answer.
    std::optional<core::messaging::MessagingExpected<tenchat::v1::Response>> relayRequest(
        const tenchat::v1::Request& request, int timeoutMs = 30000);

    // Puts a filter in front of the Messenger's to-device handler (the sync
    // coordinator's seam): a message for which `drop` is true never reaches
    // the engine but is acknowledged, so the relay forgets it (lost for good,
    // as a distribution lost on the way). Until the Messenger is re-created.
    void dropToDevice(std::function<bool(const tenchat::v1::ToDeviceMessage&)> drop);
    // Whether a message with this text has arrived; waitReceived() waits for it.
    bool hasReceived(const QString& text) const;
    bool waitReceived(const QString& text, int timeoutMs = 30000);

    QList<core::store::Message> received;
    QStringList receivedFrom;
    QHash<QString, core::store::DeliveryState> delivery; // by message id, latest
    QStringList typing; // "conversation:handle:1|0"
    QStringList presence; // "handle:state"

private:
    QTemporaryDir dir_;
    std::unique_ptr<core::messaging::Account> account_;
    std::unique_ptr<core::messaging::Messenger> messenger_;
};

} // namespace tenchat::testing
