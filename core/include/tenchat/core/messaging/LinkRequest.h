// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/RelayClient.h"
#include "tenchat/crypto/DeviceLinkCrypto.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>

namespace tenchat::core::messaging {

// The new device's side of linking (docs/messaging.md, "Linking a device"):
// on a fresh, unregistered profile, connects to the relay, publishes a sealed
// offer under a one-time code and shows the code; then waits until a device
// of the account approves it (or the code expires), takes over the account
// (identity key pair, contacts and their trust, preferences), authenticates
// as its new device and publishes its own pre-keys.
class LinkRequest : public QObject {
    Q_OBJECT
public:
    using CodeHandler = std::function<void(const QString& code, qint64 expiresAtMs)>;
    using DoneHandler = std::function<void(MessagingOk)>;

    explicit LinkRequest(Account& account, QObject* parent = nullptr);
    ~LinkRequest() override;

    // `ttlSeconds` (1..600) bounds the code's life. `done` runs once.
    void start(const QUrl& relayUrl, const QString& deviceName, int ttlSeconds, CodeHandler onCode, DoneHandler done);
    void setPollIntervalMs(int ms) { pollIntervalMs_ = ms; }

private:
    void onConnected();
    void publishOffer(int attempt);
    void poll();
    void onAnswer(const std::string& answer);
    void finish(MessagingOk result);

    Account& account_;
    RelayClient client_;
    QTimer pollTimer_;
    QTimer expiryTimer_;
    QUrl relayUrl_;
    QString deviceName_;
    int ttlSeconds_ = 600;
    int pollIntervalMs_ = 500;
    crypto::LinkCode code_;
    crypto::SecretBytes codeKey_;
    crypto::LinkKeyPair keys_;
    std::string pollToken_;
    CodeHandler onCode_;
    DoneHandler done_;
    bool finished_ = false;
    bool answered_ = false;
    int reconnects_ = 0;
};

} // namespace tenchat::core::messaging
