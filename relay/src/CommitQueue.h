// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Group commit of appends. Validated appends wait here until the event loop
// is idle (or the batch is full), then go to storage in ONE transaction;
// only after that transaction is durable is each append acknowledged and
// pushed. Many concurrent appends thus share one fsync.

#include "EntryFanOut.h"
#include "RelayContext.h"

#include "tenchat/v1/frame.pb.h"

#include <QObject>
#include <QTimer>

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

    void enqueue(PendingAppend append);
    // Commits whatever is pending now (shutdown).
    void flushNow();
    std::size_t depth() const { return pending_.size(); }

private:
    void commit();

    RelayContext& ctx_;
    EntryFanOut& fanOut_;
    std::vector<PendingAppend> pending_;
    QTimer timer_;
};

} // namespace tenchat::relay
