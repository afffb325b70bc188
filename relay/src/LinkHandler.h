// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Device-linking rendezvous: a new device (before it has an account) leaves a
// sealed offer under a rendezvous id; an authenticated device of the account
// fetches it and leaves a sealed answer; the new device collects the answer.
// The relay only holds opaque, end-to-end encrypted blobs, in memory, for at
// most kMaxTtlSeconds; nothing is written to storage.

#include "Connection.h"
#include "RelayContext.h"

#include <map>
#include <optional>
#include <string>

namespace tenchat::relay {

class LinkHandler {
public:
    static constexpr std::uint32_t kMaxTtlSeconds = 600;
    static constexpr std::size_t kMaxOfferBytes = 4096;
    static constexpr std::size_t kMaxPending = 4096;

    explicit LinkHandler(RelayContext& context) : ctx_(context) { }

    // Field checks of the four link requests (nullopt when valid).
    static std::optional<std::string> validate(const tenchat::v1::Request& request);

    void offer(Connection& connection, std::uint64_t requestId, const tenchat::v1::LinkOfferRequest& request);
    void fetch(Connection& connection, std::uint64_t requestId, const tenchat::v1::LinkFetchRequest& request);
    void answer(Connection& connection, std::uint64_t requestId, const tenchat::v1::LinkAnswerRequest& request);
    void poll(Connection& connection, std::uint64_t requestId, const tenchat::v1::LinkPollRequest& request);

private:
    struct Rendezvous {
        std::string offer;
        std::string pollToken;
        std::string answer;
        std::string answeredBy; // user id of the approving account
        std::uint64_t expiresMs = 0;
    };
    void dropExpired(std::uint64_t now);
    // The live rendezvous that fetch and answer act on; otherwise answers the
    // request (unknown or expired code, or already answered) and returns null.
    Rendezvous* unanswered(Connection& connection, std::uint64_t requestId, const std::string& rendezvousId);

    RelayContext& ctx_;
    std::map<std::string, Rendezvous> pending_;
};

} // namespace tenchat::relay
