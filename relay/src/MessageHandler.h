// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Conversation logs (append, sync, history), to-device queues, acks, typing
// and presence. Acked cursors are buffered and written in batches: losing
// the last few on a crash only means a re-delivery (at-least-once).

#include "CommitQueue.h"
#include "Connection.h"
#include "EntryFanOut.h"
#include "RelayContext.h"

#include <map>
#include <tuple>

namespace tenchat::relay {

class MessageHandler {
public:
    MessageHandler(RelayContext& context, EntryFanOut& fanOut, CommitQueue& commits)
        : ctx_(context), fanOut_(fanOut), commits_(commits)
    { }

    // Takes the ciphertexts out of `request` (no copy) once it is accepted.
    void append(Connection& connection, std::uint64_t requestId, tenchat::v1::AppendRequest& request);
    void sync(Connection& connection, std::uint64_t requestId, const tenchat::v1::SyncRequest& request);
    void history(Connection& connection, std::uint64_t requestId, const tenchat::v1::HistoryRequest& request);
    void sendToDevice(Connection& connection, std::uint64_t requestId, const tenchat::v1::SendToDeviceRequest& request);
    void fetchToDevice(
        Connection& connection, std::uint64_t requestId, const tenchat::v1::FetchToDeviceRequest& request);
    void ack(Connection& connection, std::uint64_t requestId, const tenchat::v1::AckRequest& request);
    void typing(Connection& connection, std::uint64_t requestId, const tenchat::v1::TypingRequest& request);
    void presence(Connection& connection, std::uint64_t requestId, const tenchat::v1::PresenceRequest& request);

    // Writes buffered cursors (periodically and at shutdown).
    void flushCursors();

private:
    using CursorKey = std::tuple<std::string, std::uint32_t, std::string>;

    // Members of the conversation if the caller is one; else answers the request.
    std::optional<std::vector<MemberRecord>> requireMember(Connection& connection, std::uint64_t requestId,
        const std::string& conversationId, std::uint64_t* joinedSeq = nullptr);
    std::map<std::string, std::uint64_t> cursorsOf(const std::string& userId, std::uint32_t deviceId);

    RelayContext& ctx_;
    EntryFanOut& fanOut_;
    CommitQueue& commits_;
    std::map<CursorKey, std::uint64_t> pendingCursors_;
};

} // namespace tenchat::relay
