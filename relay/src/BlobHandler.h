// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Upload sessions, downloads and quotas of the media blob store.
//
// References: the uploader names the conversation at begin (it must be a
// member); finish records a reference from that conversation to every
// chunk of the file. A download is allowed to any member of any
// conversation referencing the blob. Blobs without references (uploads
// never finished, references expired with the relay's retention) are
// removed by garbage collection after a grace period.

#include "BlobStore.h"
#include "Connection.h"
#include "RelayContext.h"

#include <QObject>
#include <QThreadPool>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace tenchat::relay {

// Validation of the blob requests (sizes and counts only), for RequestValidator.
std::optional<std::string> validateBlobRequest(const tenchat::v1::Request& request);

class BlobHandler {
public:
    explicit BlobHandler(RelayContext& context);
    ~BlobHandler();

    void begin(Connection& connection, std::uint64_t requestId, const tenchat::v1::BlobUploadBeginRequest& request);
    void has(Connection& connection, std::uint64_t requestId, const tenchat::v1::BlobHasRequest& request);
    // Checks the session, size and quota here, then verifies the BLAKE2b-256
    // and writes the file on a worker thread (the event loop keeps serving
    // frames meanwhile), and records the blob and answers back on this
    // thread. The answer still comes only once the blob is stored.
    void put(Connection& connection, std::uint64_t requestId, tenchat::v1::BlobPutRequest& request);
    void finish(Connection& connection, std::uint64_t requestId, const tenchat::v1::BlobUploadFinishRequest& request);
    // Checks the membership here, reads the blob on a worker thread (a cold
    // blob is a disk read; the event loop keeps serving meanwhile) and
    // answers back on this thread; a bounded number of reads per account.
    void get(Connection& connection, std::uint64_t requestId, const tenchat::v1::BlobGetRequest& request);
    void quota(Connection& connection, std::uint64_t requestId);

    // Expires sessions and removes garbage blobs (run by the purge timer).
    void collectGarbage();
    // The largest frame a blob upload may need.
    int maxPutFrameBytes() const;

private:
    struct Session {
        std::string userId;
        std::string conversationId;
        std::uint64_t totalBytes = 0;
        std::uint32_t chunkCount = 0;
        std::uint64_t receivedBytes = 0;
        std::uint64_t expiresMs = 0;
    };
    // The store, opened on first use; nullptr when unavailable.
    BlobStore* ensureStore();
    // Same, answering the request with an error when unavailable.
    BlobStore* store(Connection& connection, std::uint64_t requestId);
    Session* session(Connection& connection, std::uint64_t requestId, const std::string& sessionId);
    bool isMember(const std::string& conversationId, const std::string& userId);
    void expireSessions(std::uint64_t now);
    struct PutJob {
        QPointer<Connection> connection;
        std::uint64_t requestId = 0;
        std::string sessionId;
        std::string blobId;
        std::string userId;
        std::uint64_t size = 0;
        bool present = false; // already stored: verify only
        bool hashMatches = false;
        std::optional<StorageError> writeError;
    };
    void onPutDone(PutJob job);
    struct GetJob {
        QPointer<Connection> connection;
        std::uint64_t requestId = 0;
        std::string userId;
        std::uint64_t total = 0;
        StorageResult<std::string> data = std::string();
    };
    void onGetDone(GetJob job);

    RelayContext& ctx_;
    std::unique_ptr<BlobStore> store_;
    bool openFailed_ = false;
    std::map<std::string, Session> sessions_;
    std::map<std::string, std::uint64_t> pendingBytes_; // per account, being written
    std::map<std::string, int> pendingReads_; // per account, being read
    QThreadPool workers_; // hashing and writing chunks, reading them
    std::unique_ptr<QObject> context_; // receives the workers' results
};

} // namespace tenchat::relay
