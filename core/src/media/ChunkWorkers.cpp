// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/ChunkWorkers.h"

#include <QPointer>

namespace tenchat::core::media {

ChunkWorkers::ChunkWorkers(int threads, Deliver deliver, QObject* parent)
    : QObject(parent), deliver_(std::move(deliver))
{
    pool_.setMaxThreadCount(std::max(1, threads));
    pool_.setObjectName(QStringLiteral("tenchat-media-chunks"));
}

ChunkWorkers::~ChunkWorkers()
{
    stopped_ = true;
    pool_.clear();
    // Results posted meanwhile are discarded with this object.
    pool_.waitForDone();
}

void ChunkWorkers::submit(int index, Work work)
{
    if (stopped_)
        return;
    const quint64 sequence = submitted_++;
    pool_.start([this, sequence, index, work = std::move(work)] {
        if (stopped_)
            return; // stopped while queued: the result would be dropped
        MediaExpected<QByteArray> value = work();
        // Back on the owner's thread; dropped if this object is gone (the
        // destructor waits for this task, so it cannot be gone before).
        QMetaObject::invokeMethod(
            this,
            [this, sequence, index, value = std::move(value)]() mutable { onDone(sequence, index, std::move(value)); },
            Qt::QueuedConnection);
    });
}

void ChunkWorkers::cancel()
{
    stopped_ = true;
    pool_.clear();
    done_.clear();
}

void ChunkWorkers::onDone(quint64 sequence, int index, MediaExpected<QByteArray> value)
{
    if (stopped_)
        return;
    if (!value) {
        // The first failure ends the batch at once.
        stopped_ = true;
        pool_.clear();
        done_.clear();
        delivered_ = submitted_;
        deliver_(index, std::move(value));
        return;
    }
    done_.emplace(sequence, Result { index, std::move(value) });
    // deliver_ may cancel or even delete this object: check before each step.
    QPointer<ChunkWorkers> self(this);
    while (self && !stopped_) {
        auto it = done_.find(delivered_);
        if (it == done_.end())
            break;
        Result result = std::move(it->second);
        done_.erase(it);
        ++delivered_;
        deliver_(result.index, std::move(result.value));
    }
}

} // namespace tenchat::core::media
