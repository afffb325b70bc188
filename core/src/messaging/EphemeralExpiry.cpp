// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/EphemeralExpiry.h"

#include "tenchat/core/store/ChangeNotifier.h"
#include "tenchat/core/store/ProfileStore.h"

#include <QDateTime>

#include <algorithm>

namespace tenchat::core::messaging {

namespace {
qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

EphemeralExpiry::EphemeralExpiry(store::ProfileStore& store, QObject* parent) : QObject(parent), store_(store)
{
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] { runNow(); });
    connect(&store_.notifier(), &store::ChangeNotifier::messageUpserted, this, &EphemeralExpiry::onUpserted);
    connect(&store_.notifier(), &store::ChangeNotifier::messageRemoved, this,
        [this](const QString& conversationId, const QString& messageId) {
            if (expiring_)
                emit expired(conversationId, messageId);
        });
}

void EphemeralExpiry::start(int maxIntervalMs)
{
    maxIntervalMs_ = std::max(1, maxIntervalMs);
    running_ = true;
    runNow();
}

void EphemeralExpiry::stop()
{
    running_ = false;
    timer_.stop();
    dueAt_ = 0;
}

int EphemeralExpiry::runNow()
{
    const qint64 t = now();
    expiring_ = true;
    auto removed = store_.messages().expireEphemeral(t); // a failure is retried at the next tick
    expiring_ = false;
    if (running_) {
        auto next = store_.messages().nextExpiry();
        const qint64 fallback = t + maxIntervalMs_;
        arm(next && next->has_value() ? std::min(**next, fallback) : fallback);
    }
    return removed ? *removed : 0;
}

void EphemeralExpiry::onUpserted(const store::Message& message)
{
    if (running_ && message.expiresAt && (dueAt_ == 0 || *message.expiresAt < dueAt_))
        arm(*message.expiresAt);
}

void EphemeralExpiry::arm(qint64 atMs)
{
    const qint64 t = now();
    // A little after the expiry itself, so the message is due when we look.
    const qint64 delay = std::clamp<qint64>(atMs - t + 1, 0, maxIntervalMs_);
    dueAt_ = t + delay;
    timer_.start(int(delay));
}

} // namespace tenchat::core::messaging
