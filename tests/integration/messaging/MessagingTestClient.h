// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One in-process TenChat client for integration tests: a temporary profile
// (fast Argon2id parameters), an account registered on the test relay, and a
// Messenger whose received messages are collected.

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/Messenger.h"

#include <QList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace tenchat::testing {

class MessagingTestClient {
public:
    // Creates and registers `handle`; nullptr (with `error`) on failure.
    static std::unique_ptr<MessagingTestClient> create(const QUrl& relay, const QString& handle, QString* error);

    core::messaging::Account& account() { return *account_; }
    core::messaging::Messenger& messenger() { return *messenger_; }
    core::store::ProfileStore& store() { return account_->store(); }

    void start() { messenger_->start(); }
    void stop() { messenger_->stop(); }
    bool waitLive(int timeoutMs = 20000);
    // Resolves the direct conversation with `handle` (online the first time).
    QString openDirect(const QString& handle, int timeoutMs = 20000);

    QList<core::store::Message> received;
    QStringList receivedFrom;

private:
    QTemporaryDir dir_;
    std::unique_ptr<core::messaging::Account> account_;
    std::unique_ptr<core::messaging::Messenger> messenger_;
};

} // namespace tenchat::testing
