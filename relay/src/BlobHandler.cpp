// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlobHandler.h"

#include "Logger.h"
#include "Metrics.h"
#include "Responses.h"

#include "tenchat/crypto/Hash.h"
#include "tenchat/protocol/Protocol.h"

#include <QDir>
#include <QPointer>

#include <algorithm>
#include <set>

namespace tenchat::relay {

namespace v1 = tenchat::v1;

namespace {

constexpr std::size_t kSessionIdBytes = 16;
constexpr int kMaxHasIds = 1000;
constexpr int kMaxFinishIds = 10000;
constexpr std::size_t kMaxSessionsPerAccount = 16;
constexpr int kMaxPendingReads = 32; // blob reads queued per account

bool validBlobId(const std::string& id)
{
    return id.size() == kBlobIdBytes;
}

} // namespace

std::optional<std::string> validateBlobRequest(const v1::Request& request)
{
    switch (request.kind_case()) {
    case v1::Request::kBlobUploadBegin: {
        const auto& r = request.blob_upload_begin();
        if (r.conversation_id().size() != tenchat::protocol::kConversationIdBytes)
            return std::string("blob_upload_begin needs a 16-byte conversation_id");
        if (r.chunk_count() == 0 || r.chunk_count() > static_cast<std::uint32_t>(kMaxFinishIds))
            return std::string("blob_upload_begin needs 1..10000 chunks");
        if (r.total_bytes() < r.chunk_count())
            return std::string("blob_upload_begin: total_bytes below the chunk count");
        return std::nullopt;
    }
    case v1::Request::kBlobHas: {
        const auto& r = request.blob_has();
        if (r.blob_ids_size() == 0 || r.blob_ids_size() > kMaxHasIds)
            return std::string("blob_has takes 1..1000 ids");
        for (const auto& id : r.blob_ids())
            if (!validBlobId(id))
                return std::string("blob ids are 32 bytes");
        return std::nullopt;
    }
    case v1::Request::kBlobPut: {
        const auto& r = request.blob_put();
        if (r.session_id().size() != kSessionIdBytes || !validBlobId(r.blob_id()) || r.data().empty())
            return std::string("blob_put needs a 16-byte session_id, a 32-byte blob_id and data");
        return std::nullopt;
    }
    case v1::Request::kBlobUploadFinish: {
        const auto& r = request.blob_upload_finish();
        if (r.session_id().size() != kSessionIdBytes || r.blob_ids_size() == 0 || r.blob_ids_size() > kMaxFinishIds)
            return std::string("blob_upload_finish needs a 16-byte session_id and 1..10000 ids");
        for (const auto& id : r.blob_ids())
            if (!validBlobId(id))
                return std::string("blob ids are 32 bytes");
        return std::nullopt;
    }
    case v1::Request::kBlobGet:
        return validBlobId(request.blob_get().blob_id()) ? std::nullopt
                                                         : std::optional<std::string>("blob ids are 32 bytes");
    case v1::Request::kBlobQuota: return std::nullopt;
    default: return std::string("not a blob request");
    }
}

BlobHandler::BlobHandler(RelayContext& context) : ctx_(context), context_(std::make_unique<QObject>())
{
    // Two chunks are hashed and written at once; the event loop reads the
    // next frames meanwhile.
    workers_.setMaxThreadCount(2);
    auto& metrics = Metrics::instance();
    metrics.setProvider("blob_store_bytes", [this] { return store_ ? double(store_->totalBytes()) : 0.0; });
    metrics.setProvider("blob_store_blobs", [this] { return store_ ? double(store_->count()) : 0.0; });
    metrics.setProvider("blob_upload_sessions", [this] { return double(sessions_.size()); });
}

BlobHandler::~BlobHandler()
{
    // Results still queued for context_ are dropped with it (their clients
    // resend after the restart: nothing was confirmed).
    workers_.waitForDone();
    context_.reset();
}

int BlobHandler::maxPutFrameBytes() const
{
    // The chunk plus the session and blob ids and protobuf framing.
    return ctx_.config.maxBlobChunkBytes + 1024;
}

BlobStore* BlobHandler::ensureStore()
{
    if (!store_ && !openFailed_ && !ctx_.config.dataDir.isEmpty()) {
        auto opened
            = BlobStore::open(QDir(ctx_.config.dataDir).filePath(QStringLiteral("blobs")), ctx_.config.synchronousFull);
        if (opened) {
            store_ = std::move(*opened);
        } else {
            openFailed_ = true;
            Logger::instance().error("blob_store_unavailable",
                { { QStringLiteral("error"), QString::fromStdString(opened.error().message) } });
        }
    }
    return store_.get();
}

BlobStore* BlobHandler::store(Connection& connection, std::uint64_t requestId)
{
    auto* blobs = ensureStore();
    if (!blobs)
        connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "the blob store is unavailable"));
    return blobs;
}

bool BlobHandler::isMember(const std::string& conversationId, const std::string& userId)
{
    auto members = ctx_.storage.members(conversationId);
    if (!members)
        return false;
    return std::any_of(members->begin(), members->end(), [&](const MemberRecord& m) { return m.userId == userId; });
}

void BlobHandler::expireSessions(std::uint64_t now)
{
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second.expiresMs <= now)
            it = sessions_.erase(it);
        else
            ++it;
    }
}

BlobHandler::Session* BlobHandler::session(Connection& connection, std::uint64_t requestId, const std::string& id)
{
    auto it = sessions_.find(id);
    if (it == sessions_.end() || it->second.expiresMs <= nowMs() || it->second.userId != connection.userId()) {
        connection.respond(requestId,
            errorResponse(v1::STATUS_NOT_FOUND, "unknown or expired upload session; begin the upload again"));
        return nullptr;
    }
    return &it->second;
}

void BlobHandler::begin(Connection& connection, std::uint64_t requestId, const v1::BlobUploadBeginRequest& request)
{
    auto* blobs = store(connection, requestId);
    if (!blobs)
        return;
    const auto& cfg = ctx_.config;
    if (cfg.maxBlobFileBytes > 0 && request.total_bytes() > cfg.maxBlobFileBytes) {
        connection.respond(requestId,
            errorResponse(v1::STATUS_TOO_LARGE,
                "file too large: " + std::to_string(request.total_bytes()) + " bytes, this relay accepts at most "
                    + std::to_string(cfg.maxBlobFileBytes)));
        return;
    }
    if (!isMember(request.conversation_id(), connection.userId())) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "not a member of that conversation"));
        return;
    }
    auto used = blobs->usage(connection.userId());
    if (!used) {
        connection.respond(requestId, storageFailure(used.error()));
        return;
    }
    if (cfg.blobQuotaBytes > 0 && *used + request.total_bytes() > cfg.blobQuotaBytes) {
        Metrics::instance().add("blob_quota_refusals_total");
        connection.respond(requestId,
            errorResponse(v1::STATUS_QUOTA_EXCEEDED,
                "storage quota exceeded: " + std::to_string(*used) + " of " + std::to_string(cfg.blobQuotaBytes)
                    + " bytes used, this upload needs " + std::to_string(request.total_bytes())));
        return;
    }
    const auto now = nowMs();
    expireSessions(now);
    const auto open = std::count_if(
        sessions_.begin(), sessions_.end(), [&](const auto& s) { return s.second.userId == connection.userId(); });
    if (static_cast<std::size_t>(open) >= kMaxSessionsPerAccount) {
        // The oldest session of this account makes room (a client that
        // restarted cannot finish its old sessions anyway).
        auto oldest = sessions_.end();
        for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
            if (it->second.userId == connection.userId()
                && (oldest == sessions_.end() || it->second.expiresMs < oldest->second.expiresMs))
                oldest = it;
        if (oldest != sessions_.end())
            sessions_.erase(oldest);
    }
    const std::string id = randomBytes(kSessionIdBytes);
    Session s;
    s.userId = connection.userId();
    s.conversationId = request.conversation_id();
    s.totalBytes = request.total_bytes();
    s.chunkCount = request.chunk_count();
    s.expiresMs = now + cfg.blobSessionSeconds * 1000;
    sessions_[id] = s;
    auto response = okResponse();
    auto* r = response.mutable_blob_upload_begin();
    r->set_session_id(id);
    r->set_max_chunk_bytes(static_cast<std::uint64_t>(cfg.maxBlobChunkBytes));
    r->set_quota_bytes(cfg.blobQuotaBytes);
    r->set_used_bytes(*used);
    r->set_expires_at_ms(s.expiresMs);
    Metrics::instance().add("blob_uploads_begun_total");
    connection.respond(requestId, std::move(response));
}

void BlobHandler::has(Connection& connection, std::uint64_t requestId, const v1::BlobHasRequest& request)
{
    auto* blobs = store(connection, requestId);
    if (!blobs)
        return;
    auto response = okResponse();
    auto* r = response.mutable_blob_has();
    const auto now = nowMs();
    for (const auto& id : request.blob_ids()) {
        auto present = blobs->claim(id, now);
        if (!present) {
            connection.respond(requestId, storageFailure(present.error()));
            return;
        }
        r->add_present(*present);
    }
    connection.respond(requestId, std::move(response));
}

void BlobHandler::put(Connection& connection, std::uint64_t requestId, v1::BlobPutRequest& request)
{
    auto* blobs = store(connection, requestId);
    if (!blobs)
        return;
    Session* s = session(connection, requestId, request.session_id());
    if (!s)
        return;
    const auto& data = request.data();
    if (data.size() > static_cast<std::size_t>(ctx_.config.maxBlobChunkBytes)) {
        connection.respond(requestId, errorResponse(v1::STATUS_TOO_LARGE, "chunk larger than this relay accepts"));
        return;
    }
    if (s->receivedBytes + data.size() > s->totalBytes) {
        connection.respond(
            requestId, errorResponse(v1::STATUS_TOO_LARGE, "more bytes than the upload session declared"));
        return;
    }
    const auto& cfg = ctx_.config;
    const auto pendingIt = pendingBytes_.find(connection.userId());
    const std::uint64_t pending = pendingIt == pendingBytes_.end() ? 0 : pendingIt->second;
    if (cfg.blobQuotaBytes > 0) {
        auto used = blobs->usage(connection.userId());
        if (!used) {
            connection.respond(requestId, storageFailure(used.error()));
            return;
        }
        if (*used + pending + data.size() > cfg.blobQuotaBytes) {
            Metrics::instance().add("blob_quota_refusals_total");
            connection.respond(
                requestId, errorResponse(v1::STATUS_QUOTA_EXCEEDED, "storage quota exceeded during the upload"));
            return;
        }
    }
    auto present = blobs->claim(request.blob_id(), nowMs());
    if (!present) {
        connection.respond(requestId, storageFailure(present.error()));
        return;
    }
    // Reserved now: concurrent puts of the session cannot overrun it.
    s->receivedBytes += data.size();
    pendingBytes_[connection.userId()] += data.size();
    auto job = std::make_shared<PutJob>();
    job->connection = &connection;
    job->requestId = requestId;
    job->sessionId = request.session_id();
    job->blobId = request.blob_id();
    job->userId = connection.userId();
    job->size = data.size();
    job->present = *present;
    auto bytes = std::make_shared<std::string>(std::move(*request.mutable_data()));
    QPointer<QObject> context(context_.get());
    workers_.start([this, job, bytes, blobs, context] {
        auto digest = crypto::blake2b(crypto::asBytes(*bytes), kBlobIdBytes);
        job->hashMatches = digest && crypto::constantTimeEquals(*digest, crypto::asBytes(job->blobId));
        if (job->hashMatches && !job->present) {
            if (auto written = blobs->writeFile(job->blobId, *bytes); !written)
                job->writeError = written.error();
        }
        bytes->clear();
        bytes->shrink_to_fit();
        QMetaObject::invokeMethod(
            context, [this, job] { onPutDone(std::move(*job)); }, Qt::QueuedConnection);
    });
}

void BlobHandler::onPutDone(PutJob job)
{
    if (auto it = pendingBytes_.find(job.userId); it != pendingBytes_.end()) {
        it->second -= std::min(it->second, job.size);
        if (it->second == 0)
            pendingBytes_.erase(it);
    }
    const auto release = [&] {
        if (auto it = sessions_.find(job.sessionId); it != sessions_.end())
            it->second.receivedBytes -= std::min(it->second.receivedBytes, job.size);
    };
    const auto respond = [&](v1::Response&& response) {
        if (job.connection)
            job.connection->respond(job.requestId, std::move(response));
    };
    if (!job.hashMatches) {
        release();
        Metrics::instance().add("blob_hash_mismatches_total");
        respond(errorResponse(v1::STATUS_BAD_REQUEST, "blob_id is not the BLAKE2b-256 of the data"));
        return;
    }
    if (job.writeError) {
        release();
        respond(storageFailure(*job.writeError));
        return;
    }
    bool present = job.present;
    if (!present) {
        auto recorded = store_->record(job.blobId, job.size, job.userId, nowMs());
        if (!recorded) {
            release();
            respond(storageFailure(recorded.error()));
            return;
        }
        present = *recorded;
    }
    auto& metrics = Metrics::instance();
    metrics.add(present ? "blob_chunks_deduplicated_total" : "blob_chunks_stored_total");
    metrics.add("blob_bytes_received_total", double(job.size));
    auto response = okResponse();
    response.mutable_blob_put()->set_already_present(present);
    respond(std::move(response));
}

void BlobHandler::finish(Connection& connection, std::uint64_t requestId, const v1::BlobUploadFinishRequest& request)
{
    auto* blobs = store(connection, requestId);
    if (!blobs)
        return;
    Session* s = session(connection, requestId, request.session_id());
    if (!s)
        return;
    if (static_cast<std::uint32_t>(request.blob_ids_size()) > s->chunkCount) {
        connection.respond(
            requestId, errorResponse(v1::STATUS_BAD_REQUEST, "more blobs than the upload session declared"));
        return;
    }
    // Membership may have changed since begin.
    if (!isMember(s->conversationId, connection.userId())) {
        sessions_.erase(request.session_id());
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "no longer a member of that conversation"));
        return;
    }
    std::vector<std::string> ids(request.blob_ids().begin(), request.blob_ids().end());
    if (auto referenced = blobs->reference(ids, s->conversationId, nowMs()); !referenced) {
        connection.respond(requestId, storageFailure(referenced.error()));
        return;
    }
    auto used = blobs->usage(connection.userId());
    sessions_.erase(request.session_id());
    Metrics::instance().add("blob_uploads_finished_total");
    auto response = okResponse();
    response.mutable_blob_upload_finish()->set_used_bytes(used.valueOr(0));
    connection.respond(requestId, std::move(response));
}

void BlobHandler::get(Connection& connection, std::uint64_t requestId, const v1::BlobGetRequest& request)
{
    auto* blobs = store(connection, requestId);
    if (!blobs)
        return;
    auto referencing = blobs->referencedBy(request.blob_id());
    if (!referencing) {
        connection.respond(requestId, storageFailure(referencing.error()));
        return;
    }
    const bool allowed = std::any_of(referencing->begin(), referencing->end(),
        [&](const std::string& conversationId) { return isMember(conversationId, connection.userId()); });
    if (!allowed) {
        // Unknown and forbidden look the same: ids are not an oracle.
        Metrics::instance().add("blob_downloads_refused_total");
        connection.respond(
            requestId, errorResponse(v1::STATUS_FORBIDDEN, "no such blob in any conversation of this account"));
        return;
    }
    // A client keeps a few chunk downloads in flight; more queued reads would
    // only hold the workers from everybody else.
    int& reads = pendingReads_[connection.userId()];
    if (reads >= kMaxPendingReads) {
        Metrics::instance().add("blob_reads_refused_total");
        connection.respond(requestId, errorResponse(v1::STATUS_RATE_LIMITED, "too many blob downloads at once"));
        return;
    }
    ++reads;
    auto job = std::make_shared<GetJob>();
    job->connection = &connection;
    job->requestId = requestId;
    job->userId = connection.userId();
    QPointer<QObject> context(context_.get());
    workers_.start(
        [this, job, blobs, context, id = request.blob_id(), offset = request.offset(), length = request.length()] {
            // Files only (no database): safe beside the event loop's use of the store.
            job->data = blobs->read(id, offset, length, job->total);
            QMetaObject::invokeMethod(
                context, [this, job] { onGetDone(std::move(*job)); }, Qt::QueuedConnection);
        });
}

void BlobHandler::onGetDone(GetJob job)
{
    if (auto it = pendingReads_.find(job.userId); it != pendingReads_.end() && --it->second <= 0)
        pendingReads_.erase(it);
    if (!job.connection)
        return;
    if (!job.data) {
        job.connection->respond(job.requestId,
            job.data.error().code == StorageErrorCode::Conflict
                ? errorResponse(v1::STATUS_BAD_REQUEST, job.data.error().message)
                : errorResponse(v1::STATUS_NOT_FOUND, "the blob is missing on the relay"));
        return;
    }
    Metrics::instance().add("blob_bytes_sent_total", double(job.data->size()));
    auto response = okResponse();
    auto* r = response.mutable_blob_get();
    r->set_total_bytes(job.total);
    *r->mutable_data() = std::move(*job.data);
    job.connection->respond(job.requestId, std::move(response));
}

void BlobHandler::quota(Connection& connection, std::uint64_t requestId)
{
    auto* blobs = store(connection, requestId);
    if (!blobs)
        return;
    auto used = blobs->usage(connection.userId());
    if (!used) {
        connection.respond(requestId, storageFailure(used.error()));
        return;
    }
    auto response = okResponse();
    auto* r = response.mutable_blob_quota();
    r->set_quota_bytes(ctx_.config.blobQuotaBytes);
    r->set_used_bytes(*used);
    r->set_max_file_bytes(ctx_.config.maxBlobFileBytes);
    r->set_max_chunk_bytes(static_cast<std::uint64_t>(ctx_.config.maxBlobChunkBytes));
    connection.respond(requestId, std::move(response));
}

void BlobHandler::collectGarbage()
{
    const auto now = nowMs();
    expireSessions(now);
    auto* blobs = ensureStore();
    if (!blobs)
        return;
    auto garbage
        = blobs->collectGarbage(now, ctx_.config.blobGraceSeconds * 1000, ctx_.config.maxRetentionSeconds * 1000);
    if (!garbage) {
        Logger::instance().error(
            "blob_gc_failed", { { QStringLiteral("error"), QString::fromStdString(garbage.error().message) } });
        return;
    }
    if (garbage->blobsRemoved > 0) {
        Metrics::instance().add("blobs_collected_total", double(garbage->blobsRemoved));
        Logger::instance().info("blobs_collected",
            { { QStringLiteral("count"), static_cast<qint64>(garbage->blobsRemoved) },
                { QStringLiteral("bytes"), static_cast<qint64>(garbage->bytesRemoved) } });
    }
}

} // namespace tenchat::relay
