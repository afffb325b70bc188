// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/UploadJob.h"

#include "BlobRequests.h"

#include "tenchat/core/media/ChunkCodec.h"

#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>

#include <memory>

namespace tenchat::core::media {

namespace v1 = tenchat::v1;

namespace {

constexpr int kMaxHasBatch = 1000;

} // namespace

UploadJob::UploadJob(RelayClientProvider relay, QString path, QByteArray conversationId, QString mimeType,
    crypto::SecretBytes key, Journal journal, Options options, QObject* parent)
    : QObject(parent), relay_(std::move(relay)), path_(std::move(path)), conversationId_(std::move(conversationId)),
      mimeType_(std::move(mimeType)), key_(std::move(key)), journal_(std::move(journal)), options_(options),
      // Lives in this job's thread; released with deleteLater, so a pool
      // thread holding the last reference never deletes it in the wrong thread.
      anchor_(new QObject, [](QObject* anchor) { anchor->deleteLater(); })
{ }

UploadJob::~UploadJob() = default;

void UploadJob::setImageInfo(int width, int height, QByteArray thumbnailJpeg)
{
    width_ = width;
    height_ = height;
    thumbnail_ = std::move(thumbnailJpeg);
}

void UploadJob::start(Done done)
{
    done_ = std::move(done);
    running_ = true;
    const QFileInfo info(path_);
    if (!info.isFile() || !info.isReadable()) {
        fail({ MediaErrorCode::InvalidArgument, QStringLiteral("cannot read %1").arg(path_) });
        return;
    }
    if (key_.size() != 32) {
        fail({ MediaErrorCode::InvalidArgument, QStringLiteral("the file key must be 32 bytes") });
        return;
    }
    size_ = info.size();
    count_ = MediaManifest::chunkCountFor(size_, options_.chunkSize);
    externalList_ = count_ > MediaManifest::kMaxInlineChunks;
    refs_.resize(count_);
    confirmed_.assign(std::size_t(count_), false);
    if (journal_.load) {
        for (int i = 0; i < count_; ++i)
            if (auto ref = journal_.load(i))
                refs_[i] = *ref;
    }
    emit progress(0, size_);
    checkJournal(0);
}

void UploadJob::cancel()
{
    if (running_)
        complete(mediaError(MediaErrorCode::Cancelled, QStringLiteral("upload cancelled")));
}

void UploadJob::checkJournal(int from)
{
    if (!running_)
        return;
    v1::Request request;
    auto* has = request.mutable_blob_has();
    std::vector<int> indices;
    int i = from;
    for (; i < count_ && int(indices.size()) < kMaxHasBatch; ++i) {
        if (!refs_[i].id.isEmpty() && !confirmed_[std::size_t(i)]) {
            indices.push_back(i);
            has->add_blob_ids(refs_[i].id.toStdString());
        }
    }
    if (indices.empty()) {
        beginSession();
        return;
    }
    const int next = i;
    const auto generation = generation_;
    sendBlobRequest(
        relay_, request,
        [this, generation, indices, from, next](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            if (!response) {
                retryLater(checkAttempts_, response.error(), [this, from] { checkJournal(from); });
                return;
            }
            const auto& present = response->blob_has().present();
            for (std::size_t k = 0; k < indices.size(); ++k) {
                const int index = indices[k];
                if (int(k) < present.size() && present[int(k)]) {
                    confirmed_[std::size_t(index)] = true;
                    ++confirmedCount_;
                    ++chunksSkipped_;
                    doneBytes_ += std::max<qint64>(0, std::min(options_.chunkSize, size_ - index * options_.chunkSize));
                } else {
                    refs_[index] = ChunkRef(); // gone: sealed and sent again
                }
            }
            checkAttempts_ = 0;
            emit progress(doneBytes_, size_);
            checkJournal(next);
        },
        options_.requestTimeoutMs);
}

void UploadJob::beginSession()
{
    if (!running_ || beginning_)
        return;
    beginning_ = true;
    quint64 total = 0;
    for (int i = 0; i < count_; ++i) {
        if (!confirmed_[std::size_t(i)])
            total += quint64(std::max<qint64>(0, std::min(options_.chunkSize, size_ - i * options_.chunkSize)))
                + quint64(ChunkCodec::kOverhead);
    }
    if (externalList_)
        total += quint64(MediaManifest::chunkListBlobSize(count_));
    v1::Request request;
    auto* begin = request.mutable_blob_upload_begin();
    begin->set_conversation_id(conversationId_.toStdString());
    begin->set_chunk_count(quint32(count_ + (externalList_ ? 1 : 0)));
    begin->set_total_bytes(std::max<quint64>(total, quint64(count_)));
    const auto generation = generation_;
    sendBlobRequest(
        relay_, request,
        [this, generation](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            beginning_ = false;
            if (!response) {
                if (isTransient(response.error()))
                    retryLater(beginAttempts_, response.error(), [this] { beginSession(); });
                else
                    fail(response.error());
                return;
            }
            beginAttempts_ = 0;
            session_ = QByteArray::fromStdString(response->blob_upload_begin().session_id());
            pump();
        },
        options_.requestTimeoutMs);
}

void UploadJob::pump()
{
    if (!running_ || session_.isEmpty())
        return;
    const std::size_t window = std::size_t(options_.maxInFlight + options_.maxSealing + 2);
    while (sealing_ < options_.maxSealing && std::size_t(sealing_) + ready_.size() < window) {
        while (nextIndex_ < count_ && (confirmed_[std::size_t(nextIndex_)] || ready_.count(nextIndex_)))
            ++nextIndex_;
        if (nextIndex_ >= count_)
            break;
        launchSeal(nextIndex_++);
    }
    while (int(inFlight_.size()) < options_.maxInFlight && !sendQueue_.empty()) {
        const int index = sendQueue_.front();
        sendQueue_.pop_front();
        put(index);
    }
    if (confirmedCount_ == count_ && inFlight_.empty() && sealing_ == 0)
        finishSession();
}

void UploadJob::launchSeal(int index)
{
    ++sealing_;
    const qint64 offset = qint64(index) * options_.chunkSize;
    const qint64 length = std::max<qint64>(0, std::min(options_.chunkSize, size_ - offset));
    const bool tryCompress = !ChunkCodec::isCompressedType(mimeType_);
    auto key = std::make_shared<crypto::SecretBytes>(key_.clone());
    const quint64 count = quint64(count_);
    QPointer<UploadJob> self(this);
    const auto generation = generation_;
    const QString path = path_;
    const std::shared_ptr<QObject> anchor = anchor_;
    QThreadPool::globalInstance()->start([=] {
        MediaExpected<ChunkRef> sealed
            = mediaError(MediaErrorCode::Io, QStringLiteral("%1 changed or became unreadable").arg(path));
        // One plaintext buffer per pool thread, reused: a fresh 1 MiB
        // buffer per chunk costs 256 page faults.
        thread_local QByteArray plain;
        std::string ciphertext;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.seek(offset)) {
            plain.resize(qsizetype(length));
            if (file.read(plain.data(), length) == length)
                sealed = ChunkCodec::seal(*key, quint64(index), count,
                    QByteArrayView(plain.constData(), qsizetype(length)), tryCompress, ciphertext);
        }
        // Back to the job's thread (not the application's: the desktop
        // client runs media jobs on the store's worker thread).
        QMetaObject::invokeMethod(
            anchor.get(),
            [self, generation, index, sealed = std::move(sealed), ciphertext = std::move(ciphertext)]() mutable {
                if (self && self->generation_ == generation)
                    self->onSealed(index, std::move(sealed), std::move(ciphertext));
            },
            Qt::QueuedConnection);
    });
}

void UploadJob::onSealed(int index, MediaExpected<ChunkRef> ref, std::string ciphertext)
{
    --sealing_;
    if (!ref) {
        fail(ref.error());
        return;
    }
    ready_[index] = Sealed { std::move(ciphertext), std::move(*ref), 0 };
    sendQueue_.push_back(index);
    pump();
}

void UploadJob::put(int index)
{
    auto it = ready_.find(index);
    if (it == ready_.end())
        return;
    inFlight_.insert(index);
    ++chunksSent_;
    v1::Request request;
    auto* put = request.mutable_blob_put();
    put->set_session_id(session_.toStdString());
    put->set_blob_id(it->second.ref.id.toStdString());
    // The chunk is lent to the request for its serialisation and taken back
    // afterwards for a retry (RelayClient::request serialises before it
    // returns): no 1 MiB copy.
    put->mutable_data()->swap(it->second.ciphertext);
    const auto generation = generation_;
    const QByteArray session = session_;
    sendBlobRequest(
        relay_, request,
        [this, generation, index, session](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            inFlight_.erase(index);
            if (!response) {
                if (response.error().code == MediaErrorCode::Missing && session != session_) {
                    sendQueue_.push_front(index); // sent on a session already replaced
                    pump();
                    return;
                }
                onPutFailed(index, response.error());
                return;
            }
            auto it = ready_.find(index);
            if (it == ready_.end())
                return;
            refs_[index] = it->second.ref;
            if (journal_.save)
                journal_.save(index, it->second.ref);
            ready_.erase(it);
            confirmed_[std::size_t(index)] = true;
            ++confirmedCount_;
            doneBytes_ += std::max<qint64>(0, std::min(options_.chunkSize, size_ - index * options_.chunkSize));
            backoff_.reset();
            emit progress(doneBytes_, size_);
            pump();
        },
        options_.requestTimeoutMs);
    // Looked up again: a failure answered at once (not connected) may have
    // ended the job and cleared ready_.
    if (auto again = ready_.find(index); again != ready_.end())
        again->second.ciphertext.swap(*put->mutable_data());
}

void UploadJob::onPutFailed(int index, const MediaError& error)
{
    if (error.code == MediaErrorCode::Missing) {
        // The relay forgot the session (restart or expiry): begin again.
        session_.clear();
        sendQueue_.push_front(index);
        beginSession();
        return;
    }
    if (!isTransient(error)) {
        fail(error);
        return;
    }
    auto it = ready_.find(index);
    if (it == ready_.end())
        return;
    retryLater(it->second.attempts, error, [this, index] {
        sendQueue_.push_back(index);
        pump();
    });
}

void UploadJob::finishSession()
{
    if (session_.isEmpty() || beginning_)
        return;
    if (externalList_ && listSession_ != session_) {
        putList();
        return;
    }
    v1::Request request;
    auto* finish = request.mutable_blob_upload_finish();
    finish->set_session_id(session_.toStdString());
    for (const auto& ref : refs_)
        finish->add_blob_ids(ref.id.toStdString());
    if (externalList_)
        finish->add_blob_ids(listRef_.id.toStdString());
    const auto generation = generation_;
    const QByteArray session = session_;
    session_.clear(); // no second finish while this one runs
    sendBlobRequest(
        relay_, request,
        [this, generation](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            if (!response) {
                if (response.error().code == MediaErrorCode::Missing) {
                    // The session or a chunk is gone (relay restart, garbage
                    // collection): check every chunk again, resend the missing.
                    if (++finishAttempts_ >= options_.maxAttempts) {
                        fail(response.error());
                        return;
                    }
                    std::fill(confirmed_.begin(), confirmed_.end(), false);
                    confirmedCount_ = 0;
                    doneBytes_ = 0;
                    nextIndex_ = 0;
                    checkJournal(0);
                    return;
                }
                if (isTransient(response.error())) {
                    retryLater(finishAttempts_, response.error(), [this] {
                        // The relay may have lost the session meanwhile: a new
                        // one costs only a has-check per chunk.
                        std::fill(confirmed_.begin(), confirmed_.end(), false);
                        confirmedCount_ = 0;
                        doneBytes_ = 0;
                        nextIndex_ = 0;
                        checkJournal(0);
                    });
                    return;
                }
                fail(response.error());
                return;
            }
            MediaManifest manifest;
            manifest.name = MediaManifest::safeFileName(QFileInfo(path_).fileName());
            manifest.size = size_;
            manifest.mimeType = mimeType_;
            manifest.key = QByteArray(reinterpret_cast<const char*>(key_.data()), qsizetype(key_.size()));
            manifest.chunkSize = options_.chunkSize;
            manifest.chunks = refs_;
            if (externalList_)
                manifest.chunkList = listRef_;
            manifest.width = width_;
            manifest.height = height_;
            manifest.thumbnail = thumbnail_;
            complete(std::move(manifest));
        },
        options_.requestTimeoutMs);
}

void UploadJob::putList()
{
    auto sealed = ChunkCodec::sealList(key_, quint64(count_), MediaManifest::packChunks(refs_));
    if (!sealed) {
        fail(sealed.error());
        return;
    }
    listRef_ = sealed->ref;
    v1::Request request;
    auto* put = request.mutable_blob_put();
    put->set_session_id(session_.toStdString());
    put->set_blob_id(listRef_.id.toStdString());
    put->set_data(sealed->ciphertext.constData(), std::size_t(sealed->ciphertext.size()));
    const auto generation = generation_;
    const QByteArray session = session_;
    sendBlobRequest(
        relay_, request,
        [this, generation, session](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            if (!response) {
                if (response.error().code == MediaErrorCode::Missing) {
                    // The relay forgot the session: a new one, then the list
                    // again (pump() finishes, finishing puts the list).
                    if (session == session_)
                        session_.clear();
                    beginSession();
                    return;
                }
                if (isTransient(response.error())) {
                    retryLater(listAttempts_, response.error(), [this] { finishSession(); });
                    return;
                }
                fail(response.error());
                return;
            }
            listSession_ = session;
            finishSession();
        },
        options_.requestTimeoutMs);
}

void UploadJob::retryLater(int& attempts, const MediaError& error, std::function<void()> retry)
{
    if (++attempts >= options_.maxAttempts) {
        MediaError e = error;
        e.message = QStringLiteral("%1 (gave up after %2 attempts)").arg(error.message).arg(attempts);
        fail(std::move(e));
        return;
    }
    const auto generation = generation_;
    QTimer::singleShot(backoff_.nextDelayMs(), this, [this, generation, retry = std::move(retry)] {
        if (generation == generation_ && running_)
            retry();
    });
}

void UploadJob::fail(MediaError error)
{
    complete(Unexpected<MediaError>(std::move(error)));
}

void UploadJob::complete(MediaExpected<MediaManifest> result)
{
    if (!running_)
        return;
    running_ = false;
    ++generation_;
    ready_.clear();
    sendQueue_.clear();
    inFlight_.clear();
    if (result)
        emit progress(size_, size_);
    if (auto done = std::move(done_))
        done(std::move(result));
}

} // namespace tenchat::core::media
