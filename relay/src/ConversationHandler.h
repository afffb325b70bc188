// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Conversation create/get/list and membership and role changes. Every
// membership change is also recorded in the conversation's log, in the same
// transaction, and pushed like any entry.

#include "Connection.h"
#include "EntryFanOut.h"
#include "RelayContext.h"

namespace tenchat::relay {

class ConversationHandler {
public:
    ConversationHandler(RelayContext& context, EntryFanOut& fanOut) : ctx_(context), fanOut_(fanOut) { }

    void create(Connection& connection, std::uint64_t requestId, const tenchat::v1::CreateConversationRequest& request);
    void get(Connection& connection, std::uint64_t requestId, const tenchat::v1::GetConversationRequest& request);
    void list(Connection& connection, std::uint64_t requestId);
    void addMembers(Connection& connection, std::uint64_t requestId, const tenchat::v1::AddMembersRequest& request);
    void removeMember(Connection& connection, std::uint64_t requestId, const tenchat::v1::RemoveMemberRequest& request);
    void setRole(Connection& connection, std::uint64_t requestId, const tenchat::v1::SetRoleRequest& request);

private:
    bool fillInfo(const std::string& conversationId, const std::map<std::string, std::uint64_t>& cursors,
        tenchat::v1::ConversationInfo& info);
    // Role of userId in the conversation, 0 when not a member; nullopt on storage errors.
    std::optional<int> roleOf(const std::vector<MemberRecord>& members, const std::string& userId) const;
    EntryRecord membershipEntry(Connection& connection, const std::string& conversationId,
        tenchat::v1::MembershipChange::Action action, const std::vector<MemberRecord>& affected) const;
    // What every membership change starts from.
    struct MemberView {
        ConversationRecord conversation;
        std::vector<MemberRecord> members;
        int role = 0; // the caller's, never 0
    };
    // Loads the conversation as its member `connection` sees it; otherwise
    // answers the request (with the same "no such conversation" for a
    // non-member as for a missing one) and returns nullopt.
    std::optional<MemberView> viewAsMember(
        Connection& connection, std::uint64_t requestId, const std::string& conversationId);
    void finishChange(Connection& connection, std::uint64_t requestId, const std::string& conversationId,
        const std::vector<MemberRecord>& upserts, const std::vector<std::string>& removals,
        tenchat::v1::MembershipChange::Action action, const std::vector<MemberRecord>& affected);

    RelayContext& ctx_;
    EntryFanOut& fanOut_;
};

} // namespace tenchat::relay
