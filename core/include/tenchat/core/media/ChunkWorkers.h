// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaError.h"

#include <QByteArray>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <map>

namespace tenchat::core::media {

// Runs the work of single chunks (verifying and decrypting, sealing) on a
// small pool of threads of its own and hands the results back on the thread
// that owns this object, in the order the chunks were submitted.
//
// At most `threads` chunks are worked on at once; the caller bounds how many
// it submits (held() counts chunks submitted and not delivered yet), so
// memory stays at a few chunks. The first failure stops the rest: it is
// delivered at once (ahead of earlier chunks still running), work not yet
// started is skipped, and nothing is delivered after it. cancel() stops the
// same way without delivering anything. The destructor cancels and waits for
// the chunks still running (at most one per thread).
class ChunkWorkers : public QObject {
    Q_OBJECT
public:
    using Work = std::function<MediaExpected<QByteArray>()>;
    using Deliver = std::function<void(int index, MediaExpected<QByteArray> result)>;

    ChunkWorkers(int threads, Deliver deliver, QObject* parent = nullptr);
    ~ChunkWorkers() override;

    // Queues `work` for chunk `index`; ignored once stopped.
    void submit(int index, Work work);
    void cancel();

    int threads() const { return pool_.maxThreadCount(); }
    int held() const { return int(submitted_ - delivered_); }
    bool stopped() const { return stopped_; }

private:
    struct Result {
        int index = 0;
        MediaExpected<QByteArray> value;
    };
    void onDone(quint64 sequence, int index, MediaExpected<QByteArray> value);

    Deliver deliver_;
    QThreadPool pool_;
    std::atomic<bool> stopped_ { false };
    quint64 submitted_ = 0;
    quint64 delivered_ = 0;
    std::map<quint64, Result> done_; // finished out of order, waiting for their turn
};

} // namespace tenchat::core::media
