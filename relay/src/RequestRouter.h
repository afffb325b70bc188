// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Decodes each binary frame, applies the abuse guard (garbage counting, rate
// limits, validation), enforces the connection state machine
// (hello -> authenticate -> requests) and dispatches to the handlers.

#include "AccountHandler.h"
#include "BlobHandler.h"
#include "CommitQueue.h"
#include "ConversationHandler.h"
#include "EntryFanOut.h"
#include "KeyHandler.h"
#include "LinkHandler.h"
#include "MessageHandler.h"
#include "RelayContext.h"

#include <QByteArray>

namespace tenchat::relay {

class RequestRouter {
public:
    explicit RequestRouter(RelayContext& context);

    void onFrame(Connection& connection, const QByteArray& bytes);
    MessageHandler& messages() { return messages_; }
    CommitQueue& commits() { return commits_; }
    BlobHandler& blobs() { return blobs_; }

private:
    bool allowedInState(const Connection& connection, tenchat::v1::Request::KindCase kind) const;
    bool deviceStillActive(Connection& connection);
    void dispatch(Connection& connection, std::uint64_t requestId, tenchat::v1::Request& request);

    RelayContext& ctx_;
    EntryFanOut fanOut_;
    CommitQueue commits_;
    AccountHandler accounts_;
    KeyHandler keys_;
    ConversationHandler conversations_;
    MessageHandler messages_;
    BlobHandler blobs_;
    LinkHandler links_;
};

} // namespace tenchat::relay
