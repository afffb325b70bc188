// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/DownloadJob.h"

#include "BlobRequests.h"

#include "tenchat/core/media/ChunkCodec.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace tenchat::core::media {

namespace v1 = tenchat::v1;

namespace {

bool syncFile(QFile& file)
{
    if (!file.flush())
        return false;
#ifdef Q_OS_UNIX
    return ::fsync(file.handle()) == 0;
#else
    return true;
#endif
}

void syncFolder(const QString& folder)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    Q_UNUSED(folder);
#endif
}

// Starts writing [offset, offset + length) to the disk now, without waiting.
// Otherwise the kernel keeps a large file's pages dirty (up to ~10 % of RAM)
// and the fsync at the end writes the whole file while the user waits: 4 s
// of a 1 GiB download on a 260 MB/s disk.
void startWriteBack(QFile& file, qint64 offset, qint64 length)
{
#ifdef Q_OS_LINUX
    if (file.flush())
        ::sync_file_range(file.handle(), offset, length, SYNC_FILE_RANGE_WRITE);
#else
    Q_UNUSED(file);
    Q_UNUSED(offset);
    Q_UNUSED(length);
#endif
}

// Waits for the write-back of [from, to) (started chunks ago, normally done)
// and lets the kernel drop those pages from its cache, so a large download
// recycles a window of pages instead of filling the cache with fresh ones
// (a fresh page costs far more than the copy into it, 3.4 ms per MiB on the
// benchmark VM). Returns whether the range was dropped.
bool dropBehind(QFile& file, qint64 from, qint64 to)
{
#ifdef Q_OS_LINUX
    if (to <= from)
        return true;
    const int flags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
    return ::sync_file_range(file.handle(), from, to - from, flags) == 0
        && ::posix_fadvise(file.handle(), from, to - from, POSIX_FADV_DONTNEED) == 0;
#else
    Q_UNUSED(file);
    Q_UNUSED(from);
    Q_UNUSED(to);
    return false;
#endif
}

// Pages of the newest written bytes stay cached (a small file is never
// dropped: it is often opened right away).
constexpr qint64 kCachedWindow = 16 << 20;

} // namespace

DownloadJob::DownloadJob(
    RelayClientProvider relay, MediaManifest manifest, QString destination, Options options, QObject* parent)
    : QObject(parent), relay_(std::move(relay)), manifest_(std::move(manifest)),
      destination_(QFileInfo(destination).absoluteFilePath()), options_(options)
{ }

DownloadJob::~DownloadJob() = default;

QString DownloadJob::temporaryPathFor(const QString& destination)
{
    const QFileInfo info(destination);
    return info.absoluteDir().filePath(QStringLiteral(".%1.tenchat-part").arg(info.fileName()));
}

QString DownloadJob::temporaryPath() const
{
    // The first chunk id tells files apart: a leftover of another file with
    // the same destination is never continued.
    const QFileInfo info(destination_);
    return info.absoluteDir().filePath(
        QStringLiteral(".%1.%2.tenchat-part")
            .arg(info.fileName(), QString::fromLatin1(manifest_.chunks.value(0).id.toHex().left(12))));
}

void DownloadJob::start(Done done)
{
    done_ = std::move(done);
    running_ = true;
    count_ = manifest_.chunkCount();
    const bool listNeeded = manifest_.chunks.size() != count_;
    if ((listNeeded && !manifest_.hasExternalChunkList()) || manifest_.key.size() != 32) {
        fail({ MediaErrorCode::InvalidManifest, QStringLiteral("the manifest is inconsistent") }, false);
        return;
    }
    key_ = crypto::SecretBytes(crypto::ByteView(
        reinterpret_cast<const std::uint8_t*>(manifest_.key.constData()), std::size_t(manifest_.key.size())));
    sharedKey_ = std::make_shared<const crypto::SecretBytes>(key_.clone());
    workers_ = std::make_unique<ChunkWorkers>(
        options_.maxOpening, [this](int index, MediaExpected<QByteArray> plain) { onOpened(index, std::move(plain)); });
    const QFileInfo dest(destination_);
    if (dest.exists() && !options_.overwrite) {
        fail({ MediaErrorCode::InvalidArgument, QStringLiteral("%1 already exists").arg(destination_) }, true);
        return;
    }
    if (!QDir().mkpath(dest.absolutePath())) {
        fail({ MediaErrorCode::Io, QStringLiteral("cannot create %1").arg(dest.absolutePath()) }, true);
        return;
    }
    if (listNeeded)
        fetchList();
    else
        openTemporary();
}

void DownloadJob::fetchList()
{
    v1::Request request;
    request.mutable_blob_get()->set_blob_id(manifest_.chunkList.id.toStdString());
    const auto generation = generation_;
    sendBlobRequest(
        relay_, request,
        [this, generation](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            if (!response) {
                const auto& e = response.error();
                if (isTransient(e))
                    retryLater(kListIndex, e.message);
                else
                    fail({ e.code, QStringLiteral("the chunk list is not available on the relay: %1").arg(e.message),
                             e.relayStatus },
                        false);
                return;
            }
            const std::string& data = response->blob_get().data();
            auto packed = ChunkCodec::openList(
                key_, quint64(count_), manifest_.chunkList, QByteArrayView(data.data(), qsizetype(data.size())));
            if (!packed) {
                fail(packed.error(), false);
                return;
            }
            if (auto set = manifest_.setChunkList(*packed); !set) {
                fail({ MediaErrorCode::Tampered, set.error().message }, false);
                return;
            }
            openTemporary();
        },
        options_.requestTimeoutMs);
}

void DownloadJob::openTemporary()
{
    temp_ = std::make_unique<QFile>(temporaryPath());
    if (!temp_->open(QIODevice::ReadWrite)) {
        fail({ MediaErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(temp_->fileName(), temp_->errorString()) },
            true);
        return;
    }
    // Continue after the last complete chunk of an earlier attempt.
    const qint64 existing = temp_->size();
    int complete = 0;
    if (existing > 0 && existing == manifest_.size)
        complete = count_;
    else if (existing < manifest_.size)
        complete = int(existing / manifest_.chunkSize);
    written_ = std::min<qint64>(qint64(complete) * manifest_.chunkSize, manifest_.size);
    if (!temp_->resize(written_) || !temp_->seek(written_)) {
        fail({ MediaErrorCode::Io, QStringLiteral("cannot resize %1").arg(temp_->fileName()) }, false);
        return;
    }
    dropped_ = 0;
    resumedChunks_ = complete;
    nextFetch_ = nextOpen_ = nextWrite_ = complete;
    emit progress(written_, manifest_.size);
    pump();
}

void DownloadJob::cancel()
{
    if (running_)
        fail({ MediaErrorCode::Cancelled, QStringLiteral("download cancelled") }, false);
}

void DownloadJob::pump()
{
    if (!running_)
        return;
    while (nextFetch_ < count_ && int(inFlight_.size()) < options_.maxInFlight
        && int(inFlight_.size() + arrived_.size()) + workers_->held() < options_.maxInFlight * 2)
        fetch(nextFetch_++);
    if (nextWrite_ == count_ && inFlight_.empty())
        finalize();
}

void DownloadJob::fetch(int index)
{
    inFlight_.insert(index);
    v1::Request request;
    request.mutable_blob_get()->set_blob_id(manifest_.chunks[index].id.toStdString());
    const auto generation = generation_;
    sendBlobRequest(
        relay_, request,
        [this, generation, index](MediaExpected<v1::Response> response) {
            if (generation != generation_)
                return;
            inFlight_.erase(index);
            if (!response) {
                const auto& e = response.error();
                if (isTransient(e)) {
                    retryLater(index, e.message);
                } else if (e.code == MediaErrorCode::Forbidden || e.code == MediaErrorCode::Missing) {
                    fail({ e.code,
                             QStringLiteral("chunk %1 of %2 is not available on the relay: %3")
                                 .arg(index + 1)
                                 .arg(count_)
                                 .arg(e.message),
                             e.relayStatus },
                        false);
                } else {
                    fail(e, false);
                }
                return;
            }
            ++chunksFetched_;
            onChunk(index, std::move(*response->mutable_blob_get()->mutable_data()));
        },
        options_.requestTimeoutMs);
}

void DownloadJob::onChunk(int index, std::string ciphertext)
{
    arrived_[index] = std::move(ciphertext);
    openArrived();
    pump();
}

void DownloadJob::openArrived()
{
    while (running_) {
        auto it = arrived_.find(nextOpen_);
        if (it == arrived_.end())
            break;
        const int i = nextOpen_++;
        auto ciphertext = std::make_shared<std::string>(std::move(it->second));
        arrived_.erase(it);
        workers_->submit(i,
            [key = sharedKey_, i, count = quint64(count_), ref = manifest_.chunks[i],
                plainSize = manifest_.plainSizeOf(i), ciphertext] {
                return ChunkCodec::open(*key, quint64(i), count, ref,
                    QByteArrayView(ciphertext->data(), qsizetype(ciphertext->size())), plainSize);
            });
    }
}

void DownloadJob::onOpened(int index, MediaExpected<QByteArray> plain)
{
    if (!running_)
        return;
    if (!plain) {
        fail(plain.error(), false);
        return;
    }
    Q_ASSERT(index == nextWrite_);
    if (temp_->write(*plain) != plain->size()) {
        fail({ MediaErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(temp_->fileName(), temp_->errorString()) },
            false);
        return;
    }
    startWriteBack(*temp_, written_, plain->size());
    written_ += plain->size();
    if (written_ - dropped_ > 2 * kCachedWindow && dropBehind(*temp_, dropped_, written_ - kCachedWindow))
        dropped_ = written_ - kCachedWindow;
    ++nextWrite_;
    backoff_.reset();
    emit progress(written_, manifest_.size);
    pump();
}

void DownloadJob::retryLater(int index, const QString& reason)
{
    if (++attempts_[index] >= options_.maxAttempts) {
        fail({ MediaErrorCode::Network,
                 QStringLiteral("%1 (gave up after %2 attempts)").arg(reason).arg(attempts_[index]) },
            true);
        return;
    }
    const auto generation = generation_;
    QTimer::singleShot(backoff_.nextDelayMs(), this, [this, generation, index] {
        if (generation != generation_ || !running_)
            return;
        if (index == kListIndex)
            fetchList();
        else
            fetch(index);
    });
}

void DownloadJob::finalize()
{
    if (!running_)
        return;
    if (written_ != manifest_.size) {
        fail({ MediaErrorCode::Tampered, QStringLiteral("the file is shorter than its manifest says") }, false);
        return;
    }
    if (!syncFile(*temp_)) {
        fail({ MediaErrorCode::Io, QStringLiteral("cannot flush %1 (disk full?)").arg(temp_->fileName()) }, true);
        return;
    }
    temp_->close();
    if (options_.overwrite && QFileInfo::exists(destination_))
        QFile::remove(destination_);
    if (!QFile::rename(temp_->fileName(), destination_)) {
        fail({ MediaErrorCode::Io, QStringLiteral("cannot move the file into %1").arg(destination_) }, false);
        return;
    }
    syncFolder(QFileInfo(destination_).absolutePath());
    complete({});
}

void DownloadJob::fail(MediaError error, bool keepPartial)
{
    if (!running_)
        return;
    if (temp_) {
        temp_->close();
        if (!keepPartial)
            temp_->remove();
    }
    complete(Unexpected<MediaError>(std::move(error)));
}

void DownloadJob::complete(MediaOk result)
{
    if (!running_)
        return;
    running_ = false;
    ++generation_;
    if (workers_)
        workers_->cancel();
    arrived_.clear();
    inFlight_.clear();
    if (auto done = std::move(done_))
        done(std::move(result));
}

} // namespace tenchat::core::media
