// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommitQueue.h"

#include "Connection.h"
#include "Logger.h"
#include "Metrics.h"
#include "Responses.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <chrono>

namespace tenchat::relay {

namespace v1 = tenchat::v1;

namespace {
std::int64_t monotonicUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

CommitQueue::CommitQueue(RelayContext& context, EntryFanOut& fanOut, QObject* parent)
    : QObject(parent), ctx_(context), fanOut_(fanOut), syncer_(context.storage.deferredSyncer())
{
    // A zero timer fires once the event loop has handled the frames that
    // are already readable: that is the batch.
    timer_.setSingleShot(true);
    timer_.setInterval(0);
    // While an fsync runs, appends wait for it instead: whatever is
    // committed now needs the NEXT fsync anyway, so committing it when this
    // one returns acknowledges it no later (but for the commit itself) and
    // writes each hot index page to the WAL once per fsync instead of once
    // per event-loop pass. A full batch is committed at once regardless.
    connect(&timer_, &QTimer::timeout, this, [this] {
        if (!syncInFlight_)
            commit();
    });
    syncPool_.setMaxThreadCount(1);
    Metrics::instance().setProvider("commit_queue_depth", [this] { return static_cast<double>(pending_.size()); });
}

CommitQueue::~CommitQueue()
{
    syncPool_.waitForDone();
}

void CommitQueue::enqueue(PendingAppend append)
{
    append.receivedUs = monotonicUs();
    pending_.push_back(std::move(append));
    if (pending_.size() >= static_cast<std::size_t>(ctx_.config.groupCommitMaxBatch))
        commit();
    else if (!syncInFlight_ && !timer_.isActive())
        timer_.start();
}

void CommitQueue::flushNow()
{
    timer_.stop();
    commit();
    // Shutdown: wait for the running fsync, then make the rest durable here.
    syncPool_.waitForDone();
    ++syncGeneration_; // a queued completion of the old fsync is void now
    syncInFlight_ = false;
    syncCovers_ = 0;
    if (awaitingSync_.empty())
        return;
    const bool durable = syncer_ && syncer_();
    while (!awaitingSync_.empty()) {
        finish(awaitingSync_.front(), durable);
        awaitingSync_.pop_front();
    }
}

void CommitQueue::commit()
{
    if (pending_.empty())
        return;
    CommittedBatch batch;
    batch.appends.swap(pending_);
    batch.entries.reserve(batch.appends.size());
    for (auto& p : batch.appends)
        batch.entries.push_back(std::move(p.entry));
    QElapsedTimer timer;
    timer.start();
    const auto stored = ctx_.storage.appendBatch(batch.entries, batch.outcomes, static_cast<bool>(syncer_));
    Metrics::instance().observeMs("commit_duration_seconds", static_cast<double>(timer.nsecsElapsed()) / 1e6);
    Metrics::instance().add("commit_batches_total");
    batch.stored = stored.hasValue();
    if (!stored) {
        Logger::instance().error("append_batch_failed",
            QJsonObject { { QStringLiteral("error"), QString::fromStdString(stored.error().message) } });
    }
    if (!syncer_ || !batch.stored) {
        finish(batch, batch.stored);
        return;
    }
    awaitingSync_.push_back(std::move(batch));
    if (!syncInFlight_)
        startSync();
}

void CommitQueue::startSync()
{
    syncInFlight_ = true;
    syncCovers_ = awaitingSync_.size();
    const auto generation = syncGeneration_;
    syncPool_.start([this, generation, syncer = syncer_] {
        QElapsedTimer timer;
        timer.start();
        const bool durable = syncer();
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            this,
            [this, generation, durable, ms] {
                Metrics::instance().observeMs("fsync_duration_seconds", ms);
                onSynced(generation, durable);
            },
            Qt::QueuedConnection);
    });
}

void CommitQueue::onSynced(std::uint64_t generation, bool durable)
{
    if (generation != syncGeneration_)
        return;
    if (!durable)
        Logger::instance().error("fsync_failed", {});
    for (std::size_t i = 0; i < syncCovers_ && !awaitingSync_.empty(); ++i) {
        finish(awaitingSync_.front(), durable);
        awaitingSync_.pop_front();
    }
    syncInFlight_ = false;
    syncCovers_ = 0;
    // The appends that arrived during that fsync: one commit, next fsync.
    if (!pending_.empty()) {
        timer_.stop();
        commit();
    }
    if (!syncInFlight_ && !awaitingSync_.empty())
        startSync();
}

void CommitQueue::finish(CommittedBatch& batch, bool durable)
{
    const auto now = monotonicUs();
    for (std::size_t i = 0; i < batch.appends.size(); ++i) {
        auto& p = batch.appends[i];
        auto* connection = ctx_.hub.find(p.connectionId);
        const bool failed = !durable || batch.outcomes.size() <= i || batch.outcomes[i].failed;
        if (failed) {
            Metrics::instance().add("appends_failed_total");
            if (connection)
                connection->respond(p.requestId,
                    errorResponse(v1::STATUS_INTERNAL,
                        !durable || batch.outcomes.size() <= i ? "storage failure; retry with the same message id"
                                                               : batch.outcomes[i].error));
            continue;
        }
        const auto& outcome = batch.outcomes[i];
        Metrics::instance().add("appends_total");
        Metrics::instance().observeMs("append_latency_seconds", static_cast<double>(now - p.receivedUs) / 1000.0);
        if (connection) {
            auto response = okResponse();
            response.mutable_append()->set_seq(outcome.seq);
            response.mutable_append()->set_server_time_ms(outcome.serverMs);
            response.mutable_append()->set_duplicate(outcome.duplicate);
            connection->respond(p.requestId, std::move(response));
        }
        // A retried (duplicate) append was delivered the first time.
        if (!outcome.duplicate)
            fanOut_.deliver(batch.entries[i], p.members, p.ciphertexts.get());
    }
}

} // namespace tenchat::relay
