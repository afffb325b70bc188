// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Group commit of appends. Validated appends wait here until the event loop
// is idle (or the batch is full), then go to storage in ONE transaction;
// only after that transaction is durable is each append acknowledged and
// pushed. Many concurrent appends thus share one fsync. When the storage can
// defer durability, the fsync runs on a sync thread while the event loop
// goes on reading; appends that arrive meanwhile are committed together when
// that fsync returns (or at once when a batch is full), and are acknowledged
// when the next fsync, which covers them, returns.

#include "EntryFanOut.h"
#include "RelayContext.h"

#include "tenchat/v1/frame.pb.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace tenchat::relay {

class CommitQueue : public QObject {
    Q_OBJECT
public:
    struct PendingAppend {
        std::uint64_t connectionId = 0;
        std::uint64_t requestId = 0;
        EntryRecord entry;
        std::shared_ptr<const tenchat::v1::DeviceCiphertexts> ciphertexts; // per-device body, parsed
        std::vector<MemberRecord> members; // recipients, as validated
        std::int64_t receivedUs = 0;
    };

    CommitQueue(RelayContext& context, EntryFanOut& fanOut, QObject* parent = nullptr);
    ~CommitQueue() override;

    void enqueue(PendingAppend append);
    // Commits whatever is pending now (shutdown).
    void flushNow();
    std::size_t depth() const { return pending_.size(); }

private:
    struct CommittedBatch {
        std::vector<PendingAppend> appends;
        std::vector<EntryRecord> entries;
        std::vector<AppendOutcome> outcomes;
        bool stored = false;
    };

    void commit();
    void startSync();
    void onSynced(std::uint64_t generation, bool durable);
    // Answers and pushes a batch; `durable` false answers INTERNAL.
    void finish(CommittedBatch& batch, bool durable);

    RelayContext& ctx_;
    EntryFanOut& fanOut_;
    std::vector<PendingAppend> pending_;
    QTimer timer_;
    std::function<bool()> syncer_;
    QThreadPool syncPool_;
    std::deque<CommittedBatch> awaitingSync_;
    std::size_t syncCovers_ = 0; // batches the running fsync covers
    bool syncInFlight_ = false;
    std::uint64_t syncGeneration_ = 0;
};

} // namespace tenchat::relay
