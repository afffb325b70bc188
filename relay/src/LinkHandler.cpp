// SPDX-License-Identifier: GPL-3.0-or-later
#include "LinkHandler.h"

#include "Metrics.h"
#include "Responses.h"

namespace tenchat::relay {

namespace v1 = tenchat::v1;

namespace {

constexpr std::size_t kMinRendezvousBytes = 4;
constexpr std::size_t kMaxRendezvousBytes = 32;
constexpr std::size_t kPollTokenBytes = 16;

bool validRendezvous(const std::string& id)
{
    return id.size() >= kMinRendezvousBytes && id.size() <= kMaxRendezvousBytes;
}

} // namespace

std::optional<std::string> LinkHandler::validate(const v1::Request& request)
{
    switch (request.kind_case()) {
    case v1::Request::kLinkOffer: {
        const auto& r = request.link_offer();
        if (!validRendezvous(r.rendezvous_id()))
            return std::string("rendezvous_id must be 4..32 bytes");
        if (r.offer().empty() || r.offer().size() > kMaxOfferBytes)
            return std::string("offer must be 1..4096 bytes");
        if (r.ttl_seconds() > kMaxTtlSeconds)
            return std::string("ttl_seconds above 600");
        return std::nullopt;
    }
    case v1::Request::kLinkFetch:
        return validRendezvous(request.link_fetch().rendezvous_id())
            ? std::nullopt
            : std::optional<std::string>("rendezvous_id must be 4..32 bytes");
    case v1::Request::kLinkAnswer:
        if (!validRendezvous(request.link_answer().rendezvous_id()))
            return std::string("rendezvous_id must be 4..32 bytes");
        return request.link_answer().answer().empty() ? std::optional<std::string>("empty answer") : std::nullopt;
    case v1::Request::kLinkPoll:
        if (!validRendezvous(request.link_poll().rendezvous_id()))
            return std::string("rendezvous_id must be 4..32 bytes");
        return request.link_poll().poll_token().size() == kPollTokenBytes
            ? std::nullopt
            : std::optional<std::string>("poll_token must be 16 bytes");
    default: return std::string("not a link request");
    }
}

void LinkHandler::dropExpired(std::uint64_t now)
{
    for (auto it = pending_.begin(); it != pending_.end();)
        it = it->second.expiresMs <= now ? pending_.erase(it) : std::next(it);
}

void LinkHandler::offer(Connection& connection, std::uint64_t requestId, const v1::LinkOfferRequest& request)
{
    const auto now = nowMs();
    dropExpired(now);
    if (pending_.count(request.rendezvous_id()) != 0) {
        connection.respond(requestId, errorResponse(v1::STATUS_CONFLICT, "rendezvous id in use; use a new code"));
        return;
    }
    if (pending_.size() >= kMaxPending) {
        auto response = errorResponse(v1::STATUS_RATE_LIMITED, "too many pending device links; retry later");
        response.set_retry_after_ms(10000);
        connection.respond(requestId, std::move(response));
        return;
    }
    const std::uint32_t ttl = request.ttl_seconds() == 0 ? kMaxTtlSeconds : request.ttl_seconds();
    Rendezvous r;
    r.offer = request.offer();
    r.pollToken = randomBytes(kPollTokenBytes);
    r.expiresMs = now + std::uint64_t(ttl) * 1000;
    auto response = okResponse();
    response.mutable_link_offer()->set_poll_token(r.pollToken);
    response.mutable_link_offer()->set_expires_ms(r.expiresMs);
    pending_.emplace(request.rendezvous_id(), std::move(r));
    Metrics::instance().add("link_offers_total");
    connection.respond(requestId, std::move(response));
}

LinkHandler::Rendezvous* LinkHandler::unanswered(
    Connection& connection, std::uint64_t requestId, const std::string& rendezvousId)
{
    dropExpired(nowMs());
    const auto it = pending_.find(rendezvousId);
    if (it == pending_.end()) {
        connection.respond(requestId,
            errorResponse(v1::STATUS_NOT_FOUND, "no pending device link for this code (wrong code, or it expired)"));
        return nullptr;
    }
    if (!it->second.answer.empty()) {
        connection.respond(requestId, errorResponse(v1::STATUS_CONFLICT, "this device link was already answered"));
        return nullptr;
    }
    return &it->second;
}

void LinkHandler::fetch(Connection& connection, std::uint64_t requestId, const v1::LinkFetchRequest& request)
{
    Rendezvous* rendezvous = unanswered(connection, requestId, request.rendezvous_id());
    if (!rendezvous)
        return;
    auto response = okResponse();
    response.mutable_link_fetch()->set_offer(rendezvous->offer);
    connection.respond(requestId, std::move(response));
}

void LinkHandler::answer(Connection& connection, std::uint64_t requestId, const v1::LinkAnswerRequest& request)
{
    Rendezvous* rendezvous = unanswered(connection, requestId, request.rendezvous_id());
    if (!rendezvous)
        return;
    rendezvous->answer = request.answer();
    rendezvous->answeredBy = connection.userId();
    Metrics::instance().add("link_answers_total");
    connection.respond(requestId, okResponse());
}

void LinkHandler::poll(Connection& connection, std::uint64_t requestId, const v1::LinkPollRequest& request)
{
    dropExpired(nowMs());
    const auto it = pending_.find(request.rendezvous_id());
    // The same answer for unknown ids and wrong tokens.
    if (it == pending_.end() || it->second.pollToken != request.poll_token()) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such device link (it expired?)"));
        return;
    }
    auto response = okResponse();
    if (!it->second.answer.empty()) {
        response.mutable_link_poll()->set_answer(it->second.answer);
        pending_.erase(it); // single use
    }
    connection.respond(requestId, std::move(response));
}

} // namespace tenchat::relay
