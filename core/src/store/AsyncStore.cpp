// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/AsyncStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimer>

namespace tenchat::core::store {

AsyncStore::AsyncStore(QObject* parent) : QObject(parent), thread_(new QThread(this)), worker_(new QObject)
{
    qRegisterMetaType<Message>();
    qRegisterMetaType<ConversationSummary>();
    thread_->setObjectName(QStringLiteral("tenchat-store"));
    worker_->moveToThread(thread_);
    thread_->start();
}

AsyncStore::AsyncStore(std::unique_ptr<ProfileStore> store, QObject* parent) : AsyncStore(parent)
{
    store->notifier().moveToThread(thread_);
    adopt(store.release());
}

void AsyncStore::adopt(ProfileStore* store)
{
    store_ = store;
    ChangeNotifier* notifier = &store_->notifier();
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
}

void AsyncStore::open(const QString& dir, std::string_view passphrase, const ProfileOptions& options, bool create,
    QObject* context, std::function<void(StoreExpected<std::unique_ptr<AsyncStore>>)> done)
{
    // The passphrase is copied into zeroizing memory for its trip to the worker.
    auto secret = std::make_shared<crypto::SecretBytes>(crypto::asBytes(passphrase));
    auto* async = new AsyncStore;
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        async->worker_,
        [async, secret, dir, options, create, guard, done = std::move(done)]() mutable {
            const std::string_view text(reinterpret_cast<const char*>(secret->data()), secret->size());
            // Runs on the worker thread, so the store's notifier already lives there.
            auto store = create ? ProfileStore::create(dir, text, options) : ProfileStore::open(dir, text, options);
            secret.reset();
            std::optional<StoreError> error;
            if (store)
                async->adopt(store->release());
            else
                error = std::move(store).error();
            // The AsyncStore is handed over (or deleted) on the caller's thread: its
            // destructor joins this worker thread and cannot run here.
            QObject* target = guard ? guard.data() : QCoreApplication::instance();
            QMetaObject::invokeMethod(
                target,
                [async, error = std::move(error), guard, done = std::move(done)]() {
                    std::unique_ptr<AsyncStore> owned(async);
                    if (!guard)
                        return;
                    if (error)
                        done(makeUnexpected(*error));
                    else
                        done(std::move(owned));
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

AsyncStore::~AsyncStore()
{
    // Close the database and drop worker-side objects on the worker thread,
    // after every job queued before. store_ is cleared there, so an indexing
    // batch queued behind this finds no store; rows it did not index stay
    // queued in fts_pending and are indexed at the next open.
    QMetaObject::invokeMethod(
        worker_,
        [this]() {
            delete expiryTimer_;
            expiryTimer_ = nullptr;
            delete store_;
            store_ = nullptr;
        },
        Qt::BlockingQueuedConnection);
    thread_->quit();
    thread_->wait();
    delete worker_; // its thread has finished
}

void AsyncStore::post(std::function<void(ProfileStore&)> job)
{
    // store_ is read on the worker, where an asynchronous open() sets it.
    QMetaObject::invokeMethod(
        worker_,
        [this, job = std::move(job)]() {
            if (store_) {
                job(*store_);
                scheduleIndexing();
            }
        },
        Qt::QueuedConnection);
}

void AsyncStore::scheduleIndexing()
{
    if (indexingScheduled_ || !store_)
        return;
    auto pending = store_->indexer().hasPending();
    if (!pending || !*pending)
        return;
    indexingScheduled_ = true;
    QMetaObject::invokeMethod(
        worker_,
        [this]() {
            indexingScheduled_ = false;
            if (!store_)
                return;
            // A failure is retried after the next job; searches drain first anyway.
            if (auto indexed = store_->indexer().indexBatch(); indexed && *indexed > 0)
                scheduleIndexing();
        },
        Qt::QueuedConnection);
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
