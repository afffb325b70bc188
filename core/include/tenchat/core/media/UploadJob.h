// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/core/messaging/Backoff.h"
#include "tenchat/crypto/SecretBytes.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace tenchat::core::messaging {
class RelayClient;
}

namespace tenchat::core::media {

// Uploads one file as encrypted chunks and produces its manifest.
//
// The file is read as a stream: chunks are read, compressed and sealed on
// the thread pool (at most `maxSealing` at once) and uploaded with at most
// `maxInFlight` requests outstanding, so memory stays at a few chunks
// whatever the file size. Each chunk the relay confirmed is written to the
// journal; a job started again with the same key and journal first asks the
// relay which journaled chunks it still holds and sends only the rest.
// Transient failures (connection, relay restart) are retried with backoff;
// a relay that forgot the session (restart) gets a new one. A file of more
// than MediaManifest::kMaxInlineChunks chunks also gets its chunk list stored
// as a blob, put last in the session.
class UploadJob : public QObject {
    Q_OBJECT
public:
    struct Options {
        int maxInFlight = 8;
        int maxSealing = 2;
        int maxAttempts = 12; // per chunk and per request, then the job fails
        int requestTimeoutMs = 60000;
        qint64 chunkSize = MediaManifest::kDefaultChunkSize;
    };
    // Where confirmed chunks are remembered (the profile store).
    struct Journal {
        std::function<std::optional<ChunkRef>(int index)> load;
        std::function<void(int index, const ChunkRef& ref)> save;
    };
    using RelayClientProvider = std::function<messaging::RelayClient*()>;
    using Done = std::function<void(MediaExpected<MediaManifest>)>;

    UploadJob(RelayClientProvider relay, QString path, QByteArray conversationId, QString mimeType,
        crypto::SecretBytes key, Journal journal, Options options, QObject* parent = nullptr);
    ~UploadJob() override;

    // Runs the upload; `done` is called exactly once (also on cancel()).
    void start(Done done);
    void cancel();

    qint64 totalBytes() const { return size_; }
    qint64 doneBytes() const { return doneBytes_; }
    // Chunks sent in this run (resumed chunks the relay had are not).
    int chunksSent() const { return chunksSent_; }
    int chunksSkipped() const { return chunksSkipped_; }

    // Optional image metadata carried in the manifest.
    void setImageInfo(int width, int height, QByteArray thumbnailJpeg);

signals:
    void progress(qint64 doneBytes, qint64 totalBytes);

private:
    struct Sealed {
        std::string ciphertext; // lent to each put request, not copied
        ChunkRef ref;
        int attempts = 0;
    };
    void checkJournal(int from);
    void beginSession();
    void pump();
    void launchSeal(int index);
    void onSealed(int index, MediaExpected<ChunkRef> ref, std::string ciphertext);
    void put(int index);
    void onPutFailed(int index, const MediaError& error);
    void finishSession();
    // Seals the chunk list of a large file and puts it in the session
    // (manifest version 2), then finishes.
    void putList();
    // Schedules `retry` after a backoff delay, or fails after maxAttempts.
    void retryLater(int& attempts, const MediaError& error, std::function<void()> retry);
    void fail(MediaError error);
    void complete(MediaExpected<MediaManifest> result);

    RelayClientProvider relay_;
    QString path_;
    QByteArray conversationId_;
    QString mimeType_;
    crypto::SecretBytes key_;
    Journal journal_;
    Options options_;
    Done done_;

    qint64 size_ = 0;
    int count_ = 0;
    QVector<ChunkRef> refs_;
    std::vector<bool> confirmed_;
    int confirmedCount_ = 0;
    qint64 doneBytes_ = 0;
    int nextIndex_ = 0; // next chunk to seal
    int sealing_ = 0;
    std::set<int> inFlight_;
    std::map<int, Sealed> ready_; // sealed, waiting to be (re)sent
    std::deque<int> sendQueue_;
    QByteArray session_;
    bool externalList_ = false; // more than MediaManifest::kMaxInlineChunks
    ChunkRef listRef_;
    QByteArray listSession_; // the session the list blob was put in
    int listAttempts_ = 0;
    bool beginning_ = false;
    int beginAttempts_ = 0;
    int finishAttempts_ = 0;
    int checkAttempts_ = 0;
    int chunksSent_ = 0;
    int chunksSkipped_ = 0;
    int width_ = 0;
    int height_ = 0;
    QByteArray thumbnail_;
    messaging::Backoff backoff_ { 250, 8000 };
    bool running_ = false;
    std::uint64_t generation_ = 0; // bumps on cancel: late callbacks are ignored
    std::shared_ptr<QObject> anchor_; // sealed chunks come back to this job's thread through it
};

} // namespace tenchat::core::media
