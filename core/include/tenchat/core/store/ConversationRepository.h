// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace tenchat::core::store {

class ChangeNotifier;
class Database;

// Conversations (direct, group, channel, ephemeral), members and their roles,
// read state, and the summaries the conversation list shows.
class ConversationRepository {
public:
    ConversationRepository(Database& db, ChangeNotifier* notifier) : db_(db), notifier_(notifier) { }

    // Inserts or updates the metadata (keeps messages and activity).
    StoreOk save(const Conversation& conversation);
    StoreExpected<std::optional<Conversation>> get(const QString& id);
    // Whether the conversation is stored (one index probe; get() also
    // computes the summary, e.g. the unread count).
    StoreExpected<bool> exists(const QString& id);
    // Its type, if stored (one index probe, as exists()).
    StoreExpected<std::optional<ConversationType>> type(const QString& id);
    StoreOk remove(const QString& id); // with its messages, members, draft

    StoreOk setMember(const QString& conversationId, const QString& userId, MemberRole role, qint64 joinedAt);
    StoreOk removeMember(const QString& conversationId, const QString& userId);
    StoreExpected<QList<QPair<QString, MemberRole>>> members(const QString& conversationId);

    // Marks every incoming message read; returns how many changed.
    StoreExpected<int> markRead(const QString& conversationId);

    // Most recent activity first.
    StoreExpected<QList<ConversationSummary>> summaries(bool includeArchived = false);
    StoreExpected<std::optional<ConversationSummary>> summary(const QString& id);

    StoreOk saveDraft(const QString& conversationId, const QString& body, const QString& replyTo, qint64 at);
    StoreExpected<std::optional<QString>> draft(const QString& conversationId);
    StoreOk clearDraft(const QString& conversationId);

private:
    StoreExpected<QList<ConversationSummary>> querySummaries(const QString& onlyId, bool includeArchived);

    Database& db_;
    ChangeNotifier* notifier_;
};

} // namespace tenchat::core::store
