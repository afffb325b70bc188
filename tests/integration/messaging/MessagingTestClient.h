// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One in-process TenChat client for integration tests: a temporary profile
// (fast Argon2id parameters), an account registered on the test relay, and a
// Messenger whose received messages are collected.

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/Messenger.h"

#include <QHash>
#include <QList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

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
