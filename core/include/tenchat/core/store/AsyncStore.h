// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <string_view>

class QTimer;

namespace tenchat::core::store {

// Runs a ProfileStore on its own worker thread, so that the GUI thread never
// waits on disk. Jobs run in the order they were posted; results come back on
// the thread of a context object (a model, a controller). Change signals of
// the store are re-emitted here, on the thread that owns the AsyncStore.
class AsyncStore : public QObject {
    Q_OBJECT
public:
    // Takes ownership; the store (and its notifier) move to the worker thread.
    explicit AsyncStore(std::unique_ptr<ProfileStore> store, QObject* parent = nullptr);
    ~AsyncStore() override; // finishes queued jobs, closes the database on the worker, joins

    // Opens (or with `create`, creates) a profile entirely on a new worker
    // thread, so that Argon2id and migrations never block the caller. `done`
    // runs on `context`'s thread with the ready AsyncStore or the typed error
    // (WrongPassphrase, DamagedHeader, ...). If the context is gone by then,
    // the store is closed.
    static void open(const QString& dir, std::string_view passphrase, const ProfileOptions& options, bool create,
        QObject* context, std::function<void(StoreExpected<std::unique_ptr<AsyncStore>>)> done);

    // Fire-and-forget job on the worker thread.
    void post(std::function<void(ProfileStore&)> job);

    // Job on the worker; `done` then runs on `context`'s thread with the
    // result, unless the context was destroyed meanwhile.
    template <class R> void query(std::function<R(ProfileStore&)> job, QObject* context, std::function<void(R)> done)
    {
        QPointer<QObject> guard(context);
        post([job = std::move(job), guard, done = std::move(done)](ProfileStore& store) mutable {
            auto result = std::make_shared<R>(job(store));
            if (!guard)
                return;
            QMetaObject::invokeMethod(
                guard.data(), [done = std::move(done), result]() { done(std::move(*result)); }, Qt::QueuedConnection);
        });
    }

    // Deletes expired ephemeral messages now and then whenever the earliest
    // pending expiry is due (re-checking at least every `maxIntervalMs`).
    void startExpiryTimer(int maxIntervalMs = 60000);

    // Blocks the caller until every job posted so far has run. For tests and
    // shutdown paths only; never call it from a GUI event handler.
    void waitForIdle();

    QThread* workerThread() const { return thread_; }

Q_SIGNALS:
    void messageUpserted(const tenchat::core::store::Message& message);
    void messageRemoved(const QString& conversationId, const QString& messageId);
    void conversationChanged(const QString& conversationId);
    void conversationRemoved(const QString& conversationId);

private:
    explicit AsyncStore(QObject* parent = nullptr); // thread only, store adopted later
    void adopt(ProfileStore* store);
    void armExpiry(qint64 atMs); // worker thread
    void runExpiry(); // worker thread
    // Worker thread: if messages wait for full-text indexing, queue one
    // bounded SearchIndexer batch behind the jobs already posted (it
    // re-queues itself until the queue is empty).
    void scheduleIndexing();

    QThread* thread_ = nullptr;
    QObject* worker_ = nullptr; // lives on thread_, context of posted jobs
    ProfileStore* store_ = nullptr; // owned; destroyed on thread_
    QTimer* expiryTimer_ = nullptr; // lives on thread_
    qint64 expiryDueAt_ = 0;
    int expiryMaxIntervalMs_ = 60000;
    bool indexingScheduled_ = false; // worker thread
};

} // namespace tenchat::core::store
