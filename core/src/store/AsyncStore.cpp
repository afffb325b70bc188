// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/AsyncStore.h"

#include <QDateTime>
#include <QTimer>

namespace tenchat::core::store {

AsyncStore::AsyncStore(std::unique_ptr<ProfileStore> store, QObject* parent)
    : QObject(parent), thread_(new QThread(this)), worker_(new QObject), store_(store.release())
{
    qRegisterMetaType<Message>();
    qRegisterMetaType<ConversationSummary>();
    thread_->setObjectName(QStringLiteral("tenchat-store"));
    worker_->moveToThread(thread_);
    ChangeNotifier* notifier = &store_->notifier();
    notifier->moveToThread(thread_);
    // Cross-thread signal-to-signal connections are queued: the receivers of
    // AsyncStore's signals run on this object's thread.
    connect(notifier, &ChangeNotifier::messageUpserted, this, &AsyncStore::messageUpserted);
    connect(notifier, &ChangeNotifier::messageRemoved, this, &AsyncStore::messageRemoved);
    connect(notifier, &ChangeNotifier::conversationChanged, this, &AsyncStore::conversationChanged);
    connect(notifier, &ChangeNotifier::conversationRemoved, this, &AsyncStore::conversationRemoved);
    // A new message that expires before the armed time re-arms the timer (worker thread, direct).
    connect(
        notifier, &ChangeNotifier::messageUpserted, worker_,
        [this](const Message& message) {
            if (expiryTimer_ && message.expiresAt && (expiryDueAt_ == 0 || *message.expiresAt < expiryDueAt_))
                armExpiry(*message.expiresAt);
        },
        Qt::DirectConnection);
    thread_->start();
}

AsyncStore::~AsyncStore()
{
    ProfileStore* store = store_;
    QTimer** timer = &expiryTimer_;
    // Close the database and drop worker-side objects on the worker thread,
    // after every job queued before.
    QMetaObject::invokeMethod(
        worker_,
        [store, timer]() {
            delete *timer;
            *timer = nullptr;
            delete store;
        },
        Qt::BlockingQueuedConnection);
    thread_->quit();
    thread_->wait();
    delete worker_; // its thread has finished
}

void AsyncStore::post(std::function<void(ProfileStore&)> job)
{
    ProfileStore* store = store_;
    QMetaObject::invokeMethod(
        worker_, [store, job = std::move(job)]() { job(*store); }, Qt::QueuedConnection);
}

void AsyncStore::waitForIdle()
{
    QMetaObject::invokeMethod(
        worker_, []() {}, Qt::BlockingQueuedConnection);
}

void AsyncStore::startExpiryTimer(int maxIntervalMs)
{
    QMetaObject::invokeMethod(
        worker_,
        [this, maxIntervalMs]() {
            expiryMaxIntervalMs_ = std::max(1, maxIntervalMs);
            if (!expiryTimer_) {
                expiryTimer_ = new QTimer;
                expiryTimer_->setSingleShot(true);
                QObject::connect(expiryTimer_, &QTimer::timeout, worker_, [this]() { runExpiry(); });
            }
            runExpiry();
        },
        Qt::QueuedConnection);
}

void AsyncStore::runExpiry()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    (void)store_->messages().expireEphemeral(now); // failures are retried on the next tick
    const auto next = store_->messages().nextExpiry();
    const qint64 fallback = now + expiryMaxIntervalMs_;
    armExpiry((next && *next) ? std::min(**next, fallback) : fallback);
}

void AsyncStore::armExpiry(qint64 atMs)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 delay = std::clamp<qint64>(atMs - now, 0, expiryMaxIntervalMs_);
    expiryDueAt_ = now + delay;
    expiryTimer_->start(static_cast<int>(delay));
}

} // namespace tenchat::core::store
