// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/ConversationRepository.h"

#include "tenchat/core/store/ChangeNotifier.h"
#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/core/store/VisibleText.h"

namespace tenchat::core::store {

namespace {

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

constexpr int kPreviewLength = 120;

QString previewOf(const QString& body)
{
    QString line = body.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.size() > kPreviewLength)
        line = line.left(kPreviewLength - 1) + QChar(0x2026);
    return line;
}

} // namespace

StoreOk ConversationRepository::save(const Conversation& input)
{
    // NOT NULL text columns: a null QString means "empty" here.
    Conversation c = input;
    if (c.title.isNull())
        c.title = QStringLiteral("");
    if (c.policyJson.isEmpty())
        c.policyJson = QStringLiteral("{}");
    if (c.id.isEmpty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("a conversation needs an id"));
    // No UPSERT on SQLite 3.15: update, then insert if nothing was there.
    auto update = db_.cached("UPDATE conversations SET type = ?2, title = ?3, ttl_ms = ?4, policy = ?5, "
                             "feature_flags = ?6, muted = ?7, archived = ?8 WHERE id = ?1");
    TRY(update);
    Statement& u = **update;
    u.bind(1, c.id).bind(2, static_cast<int>(c.type)).bind(3, c.title).bind(4, c.ttlMs).bind(5, c.policyJson);
    u.bind(6, c.featureFlags).bind(7, c.muted).bind(8, c.archived);
    auto changed = u.exec();
    TRY(changed);
    if (*changed == 0) {
        auto insert
            = db_.cached("INSERT INTO conversations (id, type, title, ttl_ms, policy, feature_flags, muted, "
                         "archived, created_at, last_activity_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
        TRY(insert);
        Statement& i = **insert;
        i.bind(1, c.id).bind(2, static_cast<int>(c.type)).bind(3, c.title).bind(4, c.ttlMs).bind(5, c.policyJson);
        i.bind(6, c.featureFlags).bind(7, c.muted).bind(8, c.archived).bind(9, c.createdAt);
        TRY(i.exec());
    }
    if (notifier_)
        Q_EMIT notifier_->conversationChanged(c.id);
    return {};
}

StoreExpected<std::optional<Conversation>> ConversationRepository::get(const QString& id)
{
    auto summary = querySummaries(id, true);
    TRY(summary);
    if (summary->isEmpty())
        return std::optional<Conversation>();
    return std::optional<Conversation>(summary->first().conversation);
}

StoreExpected<bool> ConversationRepository::exists(const QString& id)
{
    auto stmt = db_.cached("SELECT 1 FROM conversations WHERE id = ?");
    TRY(stmt);
    (*stmt)->bind(1, id);
    auto row = (*stmt)->step();
    TRY(row);
    const bool found = *row;
    (*stmt)->reset();
    return found;
}

StoreExpected<std::optional<ConversationType>> ConversationRepository::type(const QString& id)
{
    auto stmt = db_.cached("SELECT type FROM conversations WHERE id = ?");
    TRY(stmt);
    return (*stmt)->bind(1, id).first<ConversationType>(
        [](const Statement& s) { return static_cast<ConversationType>(s.int32(0)); });
}

StoreOk ConversationRepository::remove(const QString& id)
{
    auto stmt = db_.cached("DELETE FROM conversations WHERE id = ?");
    TRY(stmt);
    (*stmt)->bind(1, id);
    TRY((*stmt)->exec());
    if (notifier_)
        Q_EMIT notifier_->conversationRemoved(id);
    return {};
}

StoreOk ConversationRepository::setMember(
    const QString& conversationId, const QString& userId, MemberRole role, qint64 joinedAt)
{
    TRY(db_.run("INSERT OR REPLACE INTO members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)",
        conversationId, userId, static_cast<int>(role), joinedAt));
    return {};
}

StoreOk ConversationRepository::removeMember(const QString& conversationId, const QString& userId)
{
    TRY(db_.run("DELETE FROM members WHERE conversation_id = ? AND user_id = ?", conversationId, userId));
    return {};
}

StoreExpected<QList<QPair<QString, MemberRole>>> ConversationRepository::members(const QString& conversationId)
{
    auto stmt = db_.cached("SELECT user_id, role FROM members WHERE conversation_id = ? ORDER BY user_id");
    TRY(stmt);
    return (*stmt)->bind(1, conversationId).collect<QPair<QString, MemberRole>>([](const Statement& s) {
        return QPair<QString, MemberRole> { s.text(0), static_cast<MemberRole>(s.int32(1)) };
    });
}

StoreExpected<int> ConversationRepository::markRead(const QString& conversationId)
{
    auto stmt
        = db_.cached("UPDATE messages SET is_read = 1 WHERE conversation_id = ? AND outgoing = 0 AND is_read = 0");
    TRY(stmt);
    (*stmt)->bind(1, conversationId);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed > 0 && notifier_)
        Q_EMIT notifier_->conversationChanged(conversationId);
    return *changed;
}

StoreExpected<QList<ConversationSummary>> ConversationRepository::summaries(bool includeArchived)
{
    return querySummaries(QString(), includeArchived);
}

StoreExpected<std::optional<ConversationSummary>> ConversationRepository::summary(const QString& id)
{
    auto list = querySummaries(id, true);
    TRY(list);
    if (list->isEmpty())
        return std::optional<ConversationSummary>();
    return std::optional<ConversationSummary>(list->first());
}

StoreExpected<QList<ConversationSummary>> ConversationRepository::querySummaries(
    const QString& onlyId, bool includeArchived)
{
    // The last message comes from the timeline index (one probe per
    // conversation), the unread count from the partial unread index.
    const std::string sql
        = std::string(
              "SELECT c.id, c.type, c.title, c.ttl_ms, c.policy, c.feature_flags, c.muted, "
              "c.archived, c.created_at, c.last_activity_at, m.id, m.body, m.sender_user_id, "
              "(SELECT count(*) FROM messages u WHERE u.conversation_id = c.id AND u.outgoing = 0 "
              "AND u.is_read = 0), m.content_type FROM conversations c LEFT JOIN messages m ON m.rid = (SELECT rid "
              "FROM messages WHERE conversation_id = c.id ORDER BY sort_seq DESC, id DESC LIMIT 1) ")
        + (onlyId.isNull() ? (includeArchived ? "" : "WHERE c.archived = 0 ") : "WHERE c.id = ?1 ")
        + "ORDER BY c.last_activity_at DESC, c.id";
    auto stmt = db_.cached(sql);
    TRY(stmt);
    if (!onlyId.isNull())
        (*stmt)->bind(1, onlyId);
    return (*stmt)->collect<ConversationSummary>([](const Statement& s) {
        ConversationSummary summary;
        Conversation& c = summary.conversation;
        c.id = s.text(0);
        c.type = static_cast<ConversationType>(s.int32(1));
        c.title = s.text(2);
        c.ttlMs = s.int64(3);
        c.policyJson = s.text(4);
        c.featureFlags = s.int64(5);
        c.muted = s.int64(6) != 0;
        c.archived = s.int64(7) != 0;
        c.createdAt = s.int64(8);
        summary.lastActivityAt = s.int64(9);
        summary.lastMessageId = s.text(10);
        summary.lastMessagePreview = previewOf(VisibleText::preview(s.text(14), s.text(11)));
        summary.lastMessageSender = s.text(12);
        summary.unreadCount = s.int32(13);
        return summary;
    });
}

StoreOk ConversationRepository::saveDraft(
    const QString& conversationId, const QString& body, const QString& replyTo, qint64 at)
{
    TRY(db_.run("INSERT OR REPLACE INTO drafts (conversation_id, body, reply_to, updated_at) VALUES (?, ?, ?, ?)",
        conversationId, body, replyTo, at));
    return {};
}

StoreExpected<std::optional<QString>> ConversationRepository::draft(const QString& conversationId)
{
    auto stmt = db_.cached("SELECT body FROM drafts WHERE conversation_id = ?");
    TRY(stmt);
    return (*stmt)->bind(1, conversationId).first<QString>([](const Statement& s) { return s.text(0); });
}

StoreOk ConversationRepository::clearDraft(const QString& conversationId)
{
    TRY(db_.run("DELETE FROM drafts WHERE conversation_id = ?", conversationId));
    return {};
}

} // namespace tenchat::core::store
