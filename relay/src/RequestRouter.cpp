// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestRouter.h"

#include "Metrics.h"
#include "Responses.h"

#include <algorithm>

namespace tenchat::relay {

namespace v1 = tenchat::v1;

RequestRouter::RequestRouter(RelayContext& context)
    : ctx_(context), fanOut_(context), commits_(context, fanOut_), accounts_(context), keys_(context),
      conversations_(context, fanOut_), messages_(context, fanOut_, commits_), blobs_(context), links_(context)
{ }

bool RequestRouter::allowedInState(const Connection& connection, v1::Request::KindCase kind) const
{
    switch (connection.state()) {
    case ConnectionState::AwaitingHello: return kind == v1::Request::kHello;
    case ConnectionState::Unauthenticated:
        return kind == v1::Request::kHello || kind == v1::Request::kChallenge || kind == v1::Request::kAuthenticate
            || kind == v1::Request::kRegisterAccount || kind == v1::Request::kLinkOffer
            || kind == v1::Request::kLinkPoll;
    case ConnectionState::Authenticated:
        return kind != v1::Request::kRegisterAccount && kind != v1::Request::kAuthenticate
            && kind != v1::Request::kLinkOffer && kind != v1::Request::kLinkPoll;
    case ConnectionState::Closing: return false;
    }
    return false;
}

bool RequestRouter::deviceStillActive(Connection& connection)
{
    return ctx_.revokedDevices.count({ connection.userId(), connection.deviceId() }) == 0;
}

void RequestRouter::onFrame(Connection& connection, const QByteArray& bytes)
{
    v1::Frame frame;
    // Only a blob upload may exceed maxFrameBytes (one chunk per frame).
    const int frameLimit = std::max(ctx_.config.maxFrameBytes, blobs_.maxPutFrameBytes());
    const bool parsed
        = bytes.size() <= frameLimit && frame.ParseFromArray(bytes.constData(), static_cast<int>(bytes.size()));
    const bool oversized = bytes.size() > frameLimit
        || (bytes.size() > ctx_.config.maxFrameBytes
            && (frame.body_case() != v1::Frame::kRequest || frame.request().kind_case() != v1::Request::kBlobPut));
    if (!parsed || oversized || frame.body_case() != v1::Frame::kRequest || frame.request_id() == 0) {
        const bool tooLarge = oversized;
        connection.respond(frame.body_case() == v1::Frame::kRequest ? frame.request_id() : 0,
            errorResponse(tooLarge ? v1::STATUS_TOO_LARGE : v1::STATUS_BAD_REQUEST,
                tooLarge ? "frame too large" : "malformed frame: expected a Frame with a request and a request_id"));
        connection.countGarbage("malformed frame");
        return;
    }
    const std::uint64_t requestId = frame.request_id();
    const auto& request = frame.request();
    const auto now = static_cast<std::int64_t>(nowMs());
    if (!connection.takeToken(now)) {
        Metrics::instance().add("rate_limited_total");
        auto response = errorResponse(v1::STATUS_RATE_LIMITED, "too many requests on this connection");
        response.set_retry_after_ms(connection.retryAfterMs());
        connection.respond(requestId, std::move(response));
        return;
    }
    if (connection.authenticated()) {
        std::uint32_t retry = 0;
        if (!ctx_.accountLimiter.take(connection.userId(), now, retry)) {
            Metrics::instance().add("rate_limited_total");
            auto response = errorResponse(v1::STATUS_RATE_LIMITED, "too many requests for this account");
            response.set_retry_after_ms(retry);
            connection.respond(requestId, std::move(response));
            return;
        }
    }
    if (ctx_.shuttingDown) {
        auto response = errorResponse(v1::STATUS_UNAVAILABLE, "relay shutting down");
        response.set_retry_after_ms(1000);
        connection.respond(requestId, std::move(response));
        return;
    }
    if (request.kind_case() == v1::Request::KIND_NOT_SET) {
        connection.respond(requestId, errorResponse(v1::STATUS_UNKNOWN_REQUEST, "unknown request type"));
        connection.countGarbage("unknown request");
        return;
    }
    if (auto invalid = ctx_.validator.validate(request)) {
        connection.respond(requestId, errorResponse(v1::STATUS_BAD_REQUEST, *invalid));
        connection.countGarbage("invalid request");
        return;
    }
    if (!allowedInState(connection, request.kind_case())) {
        const bool needsAuth = connection.state() == ConnectionState::Unauthenticated;
        connection.respond(requestId,
            errorResponse(needsAuth ? v1::STATUS_UNAUTHENTICATED : v1::STATUS_WRONG_STATE,
                connection.state() == ConnectionState::AwaitingHello ? "send hello first"
                    : needsAuth                                      ? "authenticate first"
                                                                     : "not allowed in this state"));
        return;
    }
    if (connection.authenticated() && !deviceStillActive(connection)) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "this device was revoked"));
        connection.drainAndClose();
        return;
    }
    Metrics::instance().add("requests_total");
    // Mutable: an append hands its (large) ciphertexts on without a copy.
    dispatch(connection, requestId, *frame.mutable_request());
}

void RequestRouter::dispatch(Connection& connection, std::uint64_t requestId, v1::Request& request)
{
    switch (request.kind_case()) {
    case v1::Request::kHello: accounts_.hello(connection, requestId, request.hello()); return;
    case v1::Request::kRegisterAccount:
        accounts_.registerAccount(connection, requestId, request.register_account());
        return;
    case v1::Request::kRegisterDevice:
        accounts_.registerDevice(connection, requestId, request.register_device());
        return;
    case v1::Request::kChallenge: accounts_.challenge(connection, requestId); return;
    case v1::Request::kAuthenticate: accounts_.authenticate(connection, requestId, request.authenticate()); return;
    case v1::Request::kLookupHandle: accounts_.lookupHandle(connection, requestId, request.lookup_handle()); return;
    case v1::Request::kListDevices: accounts_.listDevices(connection, requestId, request.list_devices()); return;
    case v1::Request::kRevokeDevice: accounts_.revokeDevice(connection, requestId, request.revoke_device()); return;
    case v1::Request::kUploadPreKeys: keys_.upload(connection, requestId, request.upload_pre_keys()); return;
    case v1::Request::kPreKeyCount: keys_.count(connection, requestId); return;
    case v1::Request::kFetchBundles: keys_.fetch(connection, requestId, request.fetch_bundles()); return;
    case v1::Request::kCreateConversation:
        conversations_.create(connection, requestId, request.create_conversation());
        return;
    case v1::Request::kGetConversation: conversations_.get(connection, requestId, request.get_conversation()); return;
    case v1::Request::kListConversations: conversations_.list(connection, requestId); return;
    case v1::Request::kAddMembers: conversations_.addMembers(connection, requestId, request.add_members()); return;
    case v1::Request::kRemoveMember:
        conversations_.removeMember(connection, requestId, request.remove_member());
        return;
    case v1::Request::kSetRole: conversations_.setRole(connection, requestId, request.set_role()); return;
    case v1::Request::kAppend: messages_.append(connection, requestId, *request.mutable_append()); return;
    case v1::Request::kSync: messages_.sync(connection, requestId, request.sync()); return;
    case v1::Request::kHistory: messages_.history(connection, requestId, request.history()); return;
    case v1::Request::kSendToDevice: messages_.sendToDevice(connection, requestId, request.send_to_device()); return;
    case v1::Request::kFetchToDevice: messages_.fetchToDevice(connection, requestId, request.fetch_to_device()); return;
    case v1::Request::kAck: messages_.ack(connection, requestId, request.ack()); return;
    case v1::Request::kTyping: messages_.typing(connection, requestId, request.typing()); return;
    case v1::Request::kPresence: messages_.presence(connection, requestId, request.presence()); return;
    case v1::Request::kBlobUploadBegin: blobs_.begin(connection, requestId, request.blob_upload_begin()); return;
    case v1::Request::kBlobHas: blobs_.has(connection, requestId, request.blob_has()); return;
    case v1::Request::kBlobPut: blobs_.put(connection, requestId, *request.mutable_blob_put()); return;
    case v1::Request::kBlobUploadFinish: blobs_.finish(connection, requestId, request.blob_upload_finish()); return;
    case v1::Request::kBlobGet: blobs_.get(connection, requestId, request.blob_get()); return;
    case v1::Request::kBlobQuota: blobs_.quota(connection, requestId); return;
    case v1::Request::kLinkOffer: links_.offer(connection, requestId, request.link_offer()); return;
    case v1::Request::kLinkFetch: links_.fetch(connection, requestId, request.link_fetch()); return;
    case v1::Request::kLinkAnswer: links_.answer(connection, requestId, request.link_answer()); return;
    case v1::Request::kLinkPoll: links_.poll(connection, requestId, request.link_poll()); return;
    case v1::Request::KIND_NOT_SET: break;
    }
    connection.respond(requestId, errorResponse(v1::STATUS_UNKNOWN_REQUEST, "unknown request type"));
}

} // namespace tenchat::relay
