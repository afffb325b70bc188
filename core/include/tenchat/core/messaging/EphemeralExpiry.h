// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

namespace tenchat::core::store {
class ProfileStore;
struct Message;
} // namespace tenchat::core::store

namespace tenchat::core::messaging {

// Deletes expired messages of ephemeral conversations from a store used on
// this thread (the Messenger's): body, full-text entry, reactions and
// attachment rows go with the message (the store's cascades and triggers).
// A timer fires at the earliest pending expiry (re-checked at least every
// `maxIntervalMs`); every message the store writes with an earlier expiry
// re-arms it. The store's ChangeNotifier announces each removal (the UI
// models follow it), and `expired` is emitted for each message.
class EphemeralExpiry : public QObject {
    Q_OBJECT
public:
    explicit EphemeralExpiry(store::ProfileStore& store, QObject* parent = nullptr);

    void start(int maxIntervalMs = 60000);
    void stop();
    // Deletes what is due now and re-arms the timer; returns how many went.
    int runNow();

signals:
    void expired(const QString& conversationId, const QString& messageId);

private:
    void onUpserted(const store::Message& message);
    void arm(qint64 atMs);

    store::ProfileStore& store_;
    QTimer timer_;
    qint64 dueAt_ = 0;
    int maxIntervalMs_ = 60000;
    bool running_ = false;
    bool expiring_ = false; // removals seen now are expiries
};

} // namespace tenchat::core::messaging
