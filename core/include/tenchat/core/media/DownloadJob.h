// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/ChunkWorkers.h"
#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/core/messaging/Backoff.h"
#include "tenchat/crypto/SecretBytes.h"

#include <QFile>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace tenchat::core::messaging {
class RelayClient;
}

namespace tenchat::core::media {

// Downloads one file described by a manifest into `destination`.
//
// Chunks are fetched with at most `maxInFlight` requests outstanding,
// verified against their ids, decrypted and decompressed on `maxOpening`
// worker threads (ChunkWorkers) and written in order into a temporary file
// next to the destination (".<name>.tenchat-part"). Only when every chunk is in is the file fsynced and
// renamed into place, so the destination either appears complete and
// verified or not at all. A tampered or missing chunk removes the temporary
// file; an interrupted download (connection lost, process killed) keeps it
// and the next job with the same destination continues after its last
// complete chunk. A large file's chunk list (manifest version 2) is fetched,
// verified and decrypted first.
class DownloadJob : public QObject {
    Q_OBJECT
public:
    struct Options {
        int maxInFlight = 4;
        int maxOpening = 2; // chunks verified and decrypted at once (threads)
        int maxAttempts = 12;
        int requestTimeoutMs = 60000;
        bool overwrite = false; // replace an existing destination file
    };
    using RelayClientProvider = std::function<messaging::RelayClient*()>;
    using Done = std::function<void(MediaOk)>;

    DownloadJob(RelayClientProvider relay, MediaManifest manifest, QString destination, Options options,
        QObject* parent = nullptr);
    ~DownloadJob() override;

    void start(Done done);
    // Stops and removes the temporary file.
    void cancel();

    QString temporaryPath() const;
    static QString temporaryPathFor(const QString& destination);
    qint64 totalBytes() const { return manifest_.size; }
    int chunksFetched() const { return chunksFetched_; }
    int resumedChunks() const { return resumedChunks_; }

signals:
    void progress(qint64 doneBytes, qint64 totalBytes);

private:
    // A version 2 manifest's chunk list comes first (retried as kListIndex).
    static constexpr int kListIndex = -1;
    void fetchList();
    void openTemporary();
    void pump();
    void fetch(int index);
    void onChunk(int index, std::string ciphertext);
    // Hands the arrived chunks to the workers in order.
    void openArrived();
    void onOpened(int index, MediaExpected<QByteArray> plain);
    void retryLater(int index, const QString& reason);
    void finalize();
    void fail(MediaError error, bool keepPartial);
    void complete(MediaOk result);

    RelayClientProvider relay_;
    MediaManifest manifest_;
    QString destination_;
    Options options_;
    Done done_;
    crypto::SecretBytes key_;
    std::unique_ptr<QFile> temp_;
    int count_ = 0;
    int nextFetch_ = 0; // next chunk to request
    int nextWrite_ = 0; // next chunk to write
    qint64 written_ = 0;
    qint64 dropped_ = 0; // written back and dropped from the page cache up to here
    std::set<int> inFlight_;
    std::map<int, std::string> arrived_; // fetched, waiting for their turn
    int nextOpen_ = 0; // next chunk to hand to the workers
    std::shared_ptr<const crypto::SecretBytes> sharedKey_; // for the workers
    std::unique_ptr<ChunkWorkers> workers_;
    std::map<int, int> attempts_;
    int chunksFetched_ = 0;
    int resumedChunks_ = 0;
    messaging::Backoff backoff_ { 250, 8000 };
    bool running_ = false;
    std::uint64_t generation_ = 0;
};

} // namespace tenchat::core::media
