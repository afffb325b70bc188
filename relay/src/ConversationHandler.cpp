// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversationHandler.h"

#include "Metrics.h"
#include "Responses.h"

#include "tenchat/protocol/Protocol.h"

#include <algorithm>
#include <set>

namespace tenchat::relay {

namespace v1 = tenchat::v1;
namespace p = tenchat::protocol;

std::optional<int> ConversationHandler::roleOf(
    const std::vector<MemberRecord>& members, const std::string& userId) const
{
    for (const auto& m : members)
        if (m.userId == userId)
            return m.role;
    return 0;
}

bool ConversationHandler::fillInfo(
    const std::string& conversationId, const std::map<std::string, std::uint64_t>& cursors, v1::ConversationInfo& info)
{
    auto conversation = ctx_.storage.conversation(conversationId);
    auto members = ctx_.storage.members(conversationId);
    if (!conversation || !members || !conversation.value())
        return false;
    const auto& c = *conversation.value();
    info.set_conversation_id(c.id);
    info.set_kind(static_cast<v1::ConversationKind>(c.kind));
    info.set_ttl_seconds(c.ttlSeconds);
    info.set_last_seq(c.lastSeq);
    info.set_created_ms(c.createdMs);
    const auto it = cursors.find(conversationId);
    info.set_acked_seq(it == cursors.end() ? 0 : it->second);
    for (const auto& m : *members) {
        auto* member = info.add_members();
        member->set_user_id(m.userId);
        member->set_role(static_cast<v1::Role>(m.role));
        member->set_joined_seq(m.joinedSeq);
    }
    return true;
}

EntryRecord ConversationHandler::membershipEntry(Connection& connection, const std::string& conversationId,
    v1::MembershipChange::Action action, const std::vector<MemberRecord>& affected) const
{
    v1::MembershipChange change;
    change.set_action(action);
    change.set_actor_user_id(connection.userId());
    for (const auto& m : affected) {
        auto* member = change.add_members();
        member->set_user_id(m.userId);
        member->set_role(static_cast<v1::Role>(m.role));
    }
    EntryRecord entry;
    entry.conversationId = conversationId;
    entry.messageId = randomBytes(p::kMessageIdBytes);
    entry.senderUser = connection.userId();
    entry.senderDevice = connection.deviceId();
    entry.serverMs = nowMs();
    entry.bodyKind = EntryBodyKind::Membership;
    entry.body = change.SerializeAsString();
    return entry;
}

void ConversationHandler::create(
    Connection& connection, std::uint64_t requestId, const v1::CreateConversationRequest& request)
{
    const std::string& self = connection.userId();
    std::set<std::string> others;
    for (const auto& id : request.member_user_ids())
        if (id != self)
            others.insert(id);
    for (const auto& id : others) {
        auto handle = ctx_.storage.handleOf(id);
        if (!handle) {
            connection.respond(requestId, storageFailure(handle.error()));
            return;
        }
        if (!handle.value()) {
            connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "a member is not a registered user"));
            return;
        }
    }
    ConversationRecord record;
    record.kind = request.kind();
    record.ttlSeconds = request.ttl_seconds();
    record.createdMs = nowMs();
    if (request.kind() == v1::CONVERSATION_KIND_DIRECT) {
        // One direct conversation per pair (and per TTL setting).
        std::string a = self;
        std::string b = others.empty() ? self : *others.begin();
        if (b < a)
            std::swap(a, b);
        record.directKey = a + b + std::to_string(record.ttlSeconds);
        auto existing = ctx_.storage.directConversation(record.directKey);
        if (!existing) {
            connection.respond(requestId, storageFailure(existing.error()));
            return;
        }
        if (existing.value()) {
            auto cursors = ctx_.storage.cursors(self, connection.deviceId());
            auto response = okResponse();
            auto* created = response.mutable_create_conversation();
            created->set_existed(true);
            if (!cursors || !fillInfo(*existing.value(), *cursors, *created->mutable_conversation())) {
                connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "storage failure"));
                return;
            }
            connection.respond(requestId, std::move(response));
            return;
        }
    }
    record.id = randomBytes(p::kConversationIdBytes);
    std::vector<MemberRecord> members { { self, v1::ROLE_OWNER, 1 } };
    for (const auto& id : others)
        members.push_back({ id, request.kind() == v1::CONVERSATION_KIND_DIRECT ? v1::ROLE_OWNER : v1::ROLE_MEMBER, 1 });
    EntryRecord entry = membershipEntry(connection, record.id, v1::MembershipChange::ACTION_CREATED, members);
    if (record.ttlSeconds > 0)
        entry.expiresMs = entry.serverMs + std::uint64_t { record.ttlSeconds } * 1000;
    if (auto created = ctx_.storage.createConversation(record, members, entry); !created) {
        connection.respond(requestId, storageFailure(created.error()));
        return;
    }
    Metrics::instance().add("conversations_created_total");
    auto response = okResponse();
    if (!fillInfo(record.id, {}, *response.mutable_create_conversation()->mutable_conversation())) {
        connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "storage failure"));
        return;
    }
    connection.respond(requestId, std::move(response));
    fanOut_.deliver(entry, members);
}

void ConversationHandler::get(
    Connection& connection, std::uint64_t requestId, const v1::GetConversationRequest& request)
{
    auto members = ctx_.storage.members(request.conversation_id());
    if (!members) {
        connection.respond(requestId, storageFailure(members.error()));
        return;
    }
    if (roleOf(*members, connection.userId()).value_or(0) == 0) {
        // Same answer for "does not exist" and "not a member".
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such conversation"));
        return;
    }
    auto cursors = ctx_.storage.cursors(connection.userId(), connection.deviceId());
    auto response = okResponse();
    if (!cursors
        || !fillInfo(
            request.conversation_id(), *cursors, *response.mutable_get_conversation()->mutable_conversation())) {
        connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "storage failure"));
        return;
    }
    connection.respond(requestId, std::move(response));
}

void ConversationHandler::list(Connection& connection, std::uint64_t requestId)
{
    auto ids = ctx_.storage.conversationsOf(connection.userId());
    auto cursors = ctx_.storage.cursors(connection.userId(), connection.deviceId());
    if (!ids || !cursors) {
        connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "storage failure"));
        return;
    }
    auto response = okResponse();
    auto* list = response.mutable_list_conversations();
    for (const auto& id : *ids) {
        if (!fillInfo(id, *cursors, *list->add_conversations())) {
            connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "storage failure"));
            return;
        }
    }
    connection.respond(requestId, std::move(response));
}

std::optional<ConversationHandler::MemberView> ConversationHandler::viewAsMember(
    Connection& connection, std::uint64_t requestId, const std::string& conversationId)
{
    auto conversation = ctx_.storage.conversation(conversationId);
    auto members = ctx_.storage.members(conversationId);
    if (!conversation || !members) {
        connection.respond(requestId, errorResponse(v1::STATUS_INTERNAL, "storage failure"));
        return std::nullopt;
    }
    const int role = roleOf(*members, connection.userId()).value_or(0);
    if (!conversation.value() || role == 0) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such conversation"));
        return std::nullopt;
    }
    return MemberView { std::move(*conversation.value()), std::move(*members), role };
}

void ConversationHandler::finishChange(Connection& connection, std::uint64_t requestId,
    const std::string& conversationId, const std::vector<MemberRecord>& upserts,
    const std::vector<std::string>& removals, v1::MembershipChange::Action action,
    const std::vector<MemberRecord>& affected)
{
    auto conversation = ctx_.storage.conversation(conversationId);
    if (!conversation || !conversation.value()) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such conversation"));
        return;
    }
    EntryRecord entry = membershipEntry(connection, conversationId, action, affected);
    if (conversation.value()->ttlSeconds > 0)
        entry.expiresMs = entry.serverMs + std::uint64_t { conversation.value()->ttlSeconds } * 1000;
    if (auto changed = ctx_.storage.changeMembers(conversationId, upserts, removals, entry); !changed) {
        connection.respond(requestId, storageFailure(changed.error()));
        return;
    }
    auto response = okResponse();
    response.mutable_membership()->set_seq(entry.seq);
    connection.respond(requestId, std::move(response));
    auto members = ctx_.storage.members(conversationId);
    if (members)
        fanOut_.deliver(entry, *members, nullptr, removals);
}

void ConversationHandler::addMembers(
    Connection& connection, std::uint64_t requestId, const v1::AddMembersRequest& request)
{
    auto view = viewAsMember(connection, requestId, request.conversation_id());
    if (!view)
        return;
    const auto& [conversation, members, role] = *view;
    if (conversation.kind == v1::CONVERSATION_KIND_DIRECT) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "direct conversations have fixed members"));
        return;
    }
    const int newRole = request.role() == v1::ROLE_UNSPECIFIED ? v1::ROLE_MEMBER : request.role();
    if (role != v1::ROLE_OWNER && (role != v1::ROLE_ADMIN || newRole != v1::ROLE_MEMBER)) {
        connection.respond(requestId,
            errorResponse(v1::STATUS_FORBIDDEN, "only owners add members with a role, admins add plain members"));
        return;
    }
    if (members.size() + static_cast<std::size_t>(request.user_ids_size()) > 1000) {
        connection.respond(requestId, errorResponse(v1::STATUS_TOO_LARGE, "at most 1000 members"));
        return;
    }
    std::vector<MemberRecord> added;
    for (const auto& id : request.user_ids()) {
        if (roleOf(members, id).value_or(0) != 0)
            continue; // already a member: use set_role to change roles
        auto handle = ctx_.storage.handleOf(id);
        if (!handle || !handle.value()) {
            connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "a user to add does not exist"));
            return;
        }
        added.push_back({ id, newRole, 0 });
    }
    if (added.empty()) {
        connection.respond(requestId, errorResponse(v1::STATUS_CONFLICT, "already members"));
        return;
    }
    finishChange(
        connection, requestId, request.conversation_id(), added, {}, v1::MembershipChange::ACTION_ADDED, added);
}

void ConversationHandler::removeMember(
    Connection& connection, std::uint64_t requestId, const v1::RemoveMemberRequest& request)
{
    auto view = viewAsMember(connection, requestId, request.conversation_id());
    if (!view)
        return;
    const auto& [conversation, members, role] = *view;
    const int targetRole = roleOf(members, request.user_id()).value_or(0);
    if (targetRole == 0) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "not a member"));
        return;
    }
    const bool self = request.user_id() == connection.userId();
    const bool allowed = self || role == v1::ROLE_OWNER || (role == v1::ROLE_ADMIN && targetRole == v1::ROLE_MEMBER);
    if (conversation.kind == v1::CONVERSATION_KIND_DIRECT || !allowed) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "not allowed to remove this member"));
        return;
    }
    finishChange(connection, requestId, request.conversation_id(), {}, { request.user_id() },
        v1::MembershipChange::ACTION_REMOVED, { { request.user_id(), targetRole, 0 } });
}

void ConversationHandler::setRole(Connection& connection, std::uint64_t requestId, const v1::SetRoleRequest& request)
{
    auto view = viewAsMember(connection, requestId, request.conversation_id());
    if (!view)
        return;
    const auto& [conversation, members, role] = *view;
    if (role != v1::ROLE_OWNER || conversation.kind == v1::CONVERSATION_KIND_DIRECT) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "only owners change roles"));
        return;
    }
    if (roleOf(members, request.user_id()).value_or(0) == 0) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "not a member"));
        return;
    }
    const std::vector<MemberRecord> changed { { request.user_id(), request.role(), 0 } };
    finishChange(connection, requestId, request.conversation_id(), changed, {},
        v1::MembershipChange::ACTION_ROLE_CHANGED, changed);
}

} // namespace tenchat::relay
