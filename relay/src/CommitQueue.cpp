// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommitQueue.h"

#include "Connection.h"
#include "Logger.h"
#include "Metrics.h"
#include "Responses.h"

#include <QElapsedTimer>

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
    : QObject(parent), ctx_(context), fanOut_(fanOut)
{
    // A zero timer fires once the event loop has handled the frames that
    // are already readable: that is the batch.
    timer_.setSingleShot(true);
    timer_.setInterval(0);
    connect(&timer_, &QTimer::timeout, this, &CommitQueue::commit);
    Metrics::instance().setProvider("commit_queue_depth", [this] { return static_cast<double>(pending_.size()); });
}

void CommitQueue::enqueue(PendingAppend append)
{
    append.receivedUs = monotonicUs();
    pending_.push_back(std::move(append));
    if (pending_.size() >= static_cast<std::size_t>(ctx_.config.groupCommitMaxBatch))
        commit();
    else if (!timer_.isActive())
        timer_.start();
}

void CommitQueue::flushNow()
{
    timer_.stop();
    commit();
}

void CommitQueue::commit()
{
    if (pending_.empty())
        return;
    std::vector<PendingAppend> batch;
    batch.swap(pending_);
    std::vector<EntryRecord> entries;
    entries.reserve(batch.size());
    for (auto& p : batch)
        entries.push_back(std::move(p.entry));
    std::vector<AppendOutcome> outcomes;
    QElapsedTimer timer;
    timer.start();
    const auto stored = ctx_.storage.appendBatch(entries, outcomes);
    Metrics::instance().observeMs("commit_duration_seconds", static_cast<double>(timer.nsecsElapsed()) / 1e6);
    Metrics::instance().add("commit_batches_total");
    if (!stored) {
        Logger::instance().error(
            "append_batch_failed", { { QStringLiteral("error"), QString::fromStdString(stored.error().message) } });
    }
    const auto now = monotonicUs();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        auto& p = batch[i];
        auto* connection = ctx_.hub.find(p.connectionId);
        if (!stored || outcomes[i].failed) {
            Metrics::instance().add("appends_failed_total");
            if (connection)
                connection->respond(p.requestId,
                    errorResponse(
                        v1::STATUS_INTERNAL, !stored ? "storage failure; not appended, retry" : outcomes[i].error));
            continue;
        }
        Metrics::instance().add("appends_total");
        Metrics::instance().observeMs("append_latency_seconds", static_cast<double>(now - p.receivedUs) / 1000.0);
        if (connection) {
            auto response = okResponse();
            response.mutable_append()->set_seq(outcomes[i].seq);
            response.mutable_append()->set_server_time_ms(outcomes[i].serverMs);
            response.mutable_append()->set_duplicate(outcomes[i].duplicate);
            connection->respond(p.requestId, std::move(response));
        }
        // A retried (duplicate) append was delivered the first time.
        if (!outcomes[i].duplicate)
            fanOut_.deliver(entries[i], p.members, p.ciphertexts.get());
    }
}

} // namespace tenchat::relay
