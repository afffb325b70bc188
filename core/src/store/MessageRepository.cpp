// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/MessageRepository.h"

#include "tenchat/core/store/ChangeNotifier.h"
#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/SearchIndex.h"
#include "tenchat/core/store/Transaction.h"

#include <QHash>
#include <QSet>

#include <optional>
#include <vector>

#include <sqlcipher/sqlite3.h>

namespace tenchat::core::store {

namespace {

constexpr const char* kColumns
    = "id, conversation_id, sender_user_id, sender_device_id, outgoing, server_seq, lamport, sent_at, received_at, "
      "content_type, body, reply_to, edited_at, delivery_state, is_read, tombstone, expires_at";

// Hot-path single-row writes say OR FAIL / OR IGNORE: on SQLCipher 3.4.1 an
// UPDATE (or an INSERT ... SELECT) with the default ABORT resolution opens a
// statement journal inside the enclosing transaction, and SQLCipher encrypts
// every page it journals (measured: two page encryptions per markSent). For
// one row FAIL behaves exactly like ABORT (there is no earlier row of the
// statement to keep), and without ABORT SQLite needs no statement journal.

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

} // namespace

Message MessageRepository::fromRow(const Statement& row)
{
    Message m;
    m.id = row.text(0);
    m.conversationId = row.text(1);
    m.senderUserId = row.text(2);
    m.senderDeviceId = row.int32(3);
    m.outgoing = row.int64(4) != 0;
    m.serverSeq = row.optionalInt64(5);
    m.lamport = row.int64(6);
    m.sentAt = row.int64(7);
    m.receivedAt = row.int64(8);
    m.contentType = row.text(9);
    m.body = row.text(10);
    m.replyTo = row.text(11);
    m.editedAt = row.optionalInt64(12);
    m.delivery = static_cast<DeliveryState>(row.int32(13));
    m.read = row.int64(14) != 0;
    m.tombstone = row.int64(15) != 0;
    m.expiresAt = row.optionalInt64(16);
    return m;
}

StoreExpected<Statement*> MessageRepository::insertStatement()
{
    return db_.cached(
        "INSERT OR IGNORE INTO messages (id, conversation_id, sender_user_id, sender_device_id, outgoing, server_seq, "
        "sort_seq, lamport, sent_at, received_at, content_type, body, reply_to, edited_at, delivery_state, is_read, "
        "tombstone, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
        "?18)");
}

StoreExpected<bool> MessageRepository::insertOne(const Message& m)
{
    auto stmt = insertStatement();
    TRY(stmt);
    return insertOne(**stmt, m);
}

StoreExpected<bool> MessageRepository::insertOne(Statement& s, const Message& m)
{
    if (m.id.isEmpty() || m.conversationId.isEmpty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("a message needs an id and a conversation"));
    s.bind(1, m.id).bind(2, m.conversationId).bind(3, m.senderUserId.isNull() ? QString("") : m.senderUserId);
    s.bind(4, m.senderDeviceId).bind(5, m.outgoing).bindOptional(6, m.serverSeq).bind(7, m.sortSeq());
    s.bind(8, m.lamport).bind(9, m.sentAt).bind(10, m.receivedAt).bind(11, m.contentType).bind(12, m.body);
    s.bind(13, m.replyTo).bindOptional(14, m.editedAt).bind(15, static_cast<int>(m.delivery)).bind(16, m.read);
    s.bind(17, m.tombstone).bindOptional(18, m.expiresAt);
    auto inserted = s.exec();
    TRY(inserted);
    if (*inserted == 0)
        return false;
    return true;
}

StoreExpected<bool> MessageRepository::insert(const Message& message)
{
    auto count = insertBatch({ message });
    TRY(count);
    return *count == 1;
}

StoreExpected<bool> MessageRepository::insertInTransaction(const Message& message)
{
    if (sqlite3_get_autocommit(db_.handle()) != 0)
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("insertInTransaction needs a transaction"));
    auto count = insertBatch({ message }, false);
    TRY(count);
    return *count == 1;
}

StoreExpected<int> MessageRepository::insertBatch(const QList<Message>& messages)
{
    return insertBatch(messages, true);
}

StoreExpected<int> MessageRepository::insertBatch(const QList<Message>& messages, bool ownSavepoint)
{
    QList<Message> inserted;
    {
        std::optional<Transaction> transaction;
        if (ownSavepoint) {
            transaction.emplace(db_);
            TRY(transaction->begun());
        }
        // Ephemeral conversations: expiresAt defaults to sentAt + TTL. Looked
        // up once per conversation and batch, and set on the record so that
        // the notification carries it (the expiry timer re-arms on it).
        QHash<QString, qint64> ttlOf;
        QHash<QString, qint64> activityOf; // one conversation update per batch, not per message
        // Row ids of this batch: new rows get max(rid) + 1, so they normally
        // form one range, queued for the SearchIndexer with one statement.
        qint64 firstRid = 0;
        qint64 lastRid = 0;
        bool contiguous = true;
        std::vector<qint64> rids;
        rids.reserve(static_cast<std::size_t>(messages.size()));
        // Looked up once per batch, not per message (the cache key is the
        // SQL text: building and hashing it per row was measurable).
        auto insert = insertStatement();
        TRY(insert);
        for (const Message& original : messages) {
            Message m = original;
            if (!m.expiresAt) {
                auto ttl = ttlOf.find(m.conversationId);
                if (ttl == ttlOf.end()) {
                    auto stmt = db_.cached("SELECT ttl_ms FROM conversations WHERE id = ?");
                    TRY(stmt);
                    (*stmt)->bind(1, m.conversationId);
                    auto row = (*stmt)->step();
                    TRY(row);
                    ttl = ttlOf.insert(m.conversationId, *row ? (*stmt)->int64(0) : 0);
                    (*stmt)->reset();
                }
                if (*ttl > 0)
                    m.expiresAt = m.sentAt + *ttl;
            }
            auto done = insertOne(**insert, m);
            TRY(done);
            if (*done) {
                const qint64 rid = db_.lastInsertRowId();
                if (firstRid == 0)
                    firstRid = rid;
                else if (rid != lastRid + 1)
                    contiguous = false;
                lastRid = rid;
                rids.push_back(rid);
                qint64& activity = activityOf[m.conversationId];
                activity = std::max({ activity, m.sentAt, m.receivedAt });
                inserted.append(std::move(m));
            }
        }
        for (auto it = activityOf.cbegin(); it != activityOf.cend(); ++it) {
            auto touch = db_.cached("UPDATE OR FAIL conversations SET last_activity_at = ?1 WHERE id = ?2 AND "
                                    "last_activity_at < ?1");
            TRY(touch);
            (*touch)->bind(1, it.value()).bind(2, it.key());
            TRY((*touch)->exec());
        }
        // Full-text indexing is deferred (search is a derived projection,
        // see SearchIndexer): the row ids are queued durably in this
        // transaction, so a crash after the commit leaves them queued and
        // the next open indexes them.
        if (firstRid != 0 && contiguous) {
            auto queue = db_.cached(
                "INSERT OR IGNORE INTO fts_pending (rid) SELECT rid FROM messages WHERE rid BETWEEN ?1 AND "
                "?2 AND body IS NOT NULL");
            TRY(queue);
            (*queue)->bind(1, firstRid).bind(2, lastRid);
            TRY((*queue)->exec());
        } else {
            for (const qint64 rid : rids) {
                auto queue = db_.cached("INSERT OR IGNORE INTO fts_pending (rid) VALUES (?1)");
                TRY(queue);
                (*queue)->bind(1, rid);
                TRY((*queue)->exec());
            }
        }
        if (transaction)
            TRY(transaction->commit());
    }
    if (notifier_) {
        QSet<QString> conversations;
        for (const Message& m : inserted) {
            Q_EMIT notifier_->messageUpserted(m);
            conversations.insert(m.conversationId);
        }
        for (const QString& id : conversations)
            Q_EMIT notifier_->conversationChanged(id);
    }
    return static_cast<int>(inserted.size());
}

StoreExpected<QList<Reaction>> MessageRepository::reactionsOf(const QString& id)
{
    auto stmt = db_.cached("SELECT user_id, emoji FROM reactions WHERE message_id = ? ORDER BY created_at, user_id");
    TRY(stmt);
    return (*stmt)->bind(1, id).collect<Reaction>([](const Statement& s) { return Reaction { s.text(0), s.text(1) }; });
}

StoreExpected<std::optional<Message>> MessageRepository::get(const QString& id)
{
    auto stmt = db_.cached(std::string("SELECT ") + kColumns + " FROM messages WHERE id = ?");
    TRY(stmt);
    (*stmt)->bind(1, id);
    auto row = (*stmt)->step();
    TRY(row);
    if (!*row)
        return std::optional<Message>();
    Message m = fromRow(**stmt);
    (*stmt)->reset();
    auto reactions = reactionsOf(id);
    TRY(reactions);
    m.reactions = std::move(*reactions);
    return std::optional<Message>(std::move(m));
}

StoreExpected<QList<Message>> MessageRepository::page(
    const QString& conversationId, const std::optional<TimelineCursor>& before, int limit)
{
    // "sort_seq <= ? AND (sort_seq < ? OR id < ?)" keeps the index range usable
    // (SQLite 3.15 has no row-value comparisons in all planners).
    auto stmt = before ? db_.cached(std::string("SELECT ") + kColumns
                    + " FROM messages WHERE conversation_id = ?1 AND sort_seq <= ?2 AND (sort_seq < ?2 OR id "
                      "< ?3) ORDER BY sort_seq DESC, id DESC LIMIT ?4")
                       : db_.cached(std::string("SELECT ") + kColumns
                           + " FROM messages WHERE conversation_id = ?1 ORDER BY sort_seq DESC, id DESC LIMIT ?4");
    TRY(stmt);
    Statement& s = **stmt;
    s.bind(1, conversationId).bind(4, limit);
    if (before)
        s.bind(2, before->sortSeq).bind(3, before->id);
    QList<Message> out;
    out.reserve(limit);
    for (;;) {
        auto row = s.step();
        TRY(row);
        if (!*row)
            break;
        out.append(fromRow(s));
    }
    for (Message& m : out) {
        auto reactions = reactionsOf(m.id);
        TRY(reactions);
        m.reactions = std::move(*reactions);
    }
    return out;
}

StoreOk MessageRepository::announce(const QString& id)
{
    if (!notifier_)
        return {};
    auto message = get(id);
    TRY(message);
    if (*message) {
        Q_EMIT notifier_->messageUpserted(**message);
        Q_EMIT notifier_->conversationChanged((*message)->conversationId);
    }
    return {};
}

StoreOk MessageRepository::edit(const QString& id, const QString& newBody, qint64 editedAt)
{
    {
        Transaction transaction(db_);
        TRY(transaction.begun());
        auto history
            = db_.cached("INSERT INTO message_edits (message_id, edited_at, previous_body) SELECT id, ?2, body "
                         "FROM messages WHERE id = ?1 AND tombstone = 0 AND body IS NOT NULL");
        TRY(history);
        (*history)->bind(1, id).bind(2, editedAt);
        auto recorded = (*history)->exec();
        TRY(recorded);
        if (*recorded == 0)
            return storeError(StoreErrorCode::NotFound, QStringLiteral("no editable message %1").arg(id));
        auto update = db_.cached("UPDATE messages SET body = ?2, edited_at = ?3 WHERE id = ?1");
        TRY(update);
        (*update)->bind(1, id).bind(2, newBody).bind(3, editedAt);
        TRY((*update)->exec());
        TRY(transaction.commit());
    }
    return announce(id);
}

StoreExpected<QList<MessageEdit>> MessageRepository::editHistory(const QString& id)
{
    auto stmt = db_.cached("SELECT edited_at, previous_body FROM message_edits WHERE message_id = ? ORDER BY rowid");
    TRY(stmt);
    return (*stmt)->bind(1, id).collect<MessageEdit>([](const Statement& s) {
        return MessageEdit { s.int64(0), s.text(1) };
    });
}

namespace {

StoreOk updateOne(Database& db, const std::string& sql, const QString& id, std::optional<qint64> value)
{
    auto stmt = db.cached(sql);
    TRY(stmt);
    (*stmt)->bind(1, id);
    if (value)
        (*stmt)->bind(2, *value);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed == 0)
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no message %1").arg(id));
    return {};
}

} // namespace

StoreOk MessageRepository::setDeliveryState(const QString& id, DeliveryState state)
{
    TRY(updateOne(
        db_, "UPDATE OR FAIL messages SET delivery_state = ?2 WHERE id = ?1", id, static_cast<qint64>(state)));
    return announce(id);
}

StoreOk MessageRepository::assignServerSeq(const QString& id, qint64 serverSeq)
{
    TRY(updateOne(db_, "UPDATE OR FAIL messages SET server_seq = ?2, sort_seq = ?2 WHERE id = ?1", id, serverSeq));
    return announce(id);
}

StoreExpected<bool> MessageRepository::markSent(const QString& id, std::optional<qint64> serverSeq, DeliveryState state)
{
    auto stmt = serverSeq
        ? db_.cached("UPDATE OR FAIL messages SET server_seq = ?2, sort_seq = ?2, delivery_state = ?3 WHERE id = ?1")
        : db_.cached("UPDATE OR FAIL messages SET delivery_state = ?3 WHERE id = ?1");
    TRY(stmt);
    (*stmt)->bind(1, id).bind(3, static_cast<qint64>(state));
    if (serverSeq)
        (*stmt)->bind(2, *serverSeq);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed == 0)
        return false;
    TRY(announce(id));
    return true;
}

StoreOk MessageRepository::tombstone(const QString& id)
{
    {
        Transaction transaction(db_);
        TRY(transaction.begun());
        TRY(updateOne(db_, "UPDATE messages SET body = NULL, tombstone = 1 WHERE id = ?1", id, std::nullopt));
        auto edits = db_.cached("DELETE FROM message_edits WHERE message_id = ?");
        TRY(edits);
        (*edits)->bind(1, id);
        TRY((*edits)->exec());
        auto reactions = db_.cached("DELETE FROM reactions WHERE message_id = ?");
        TRY(reactions);
        (*reactions)->bind(1, id);
        TRY((*reactions)->exec());
        TRY(transaction.commit());
    }
    return announce(id);
}

StoreOk MessageRepository::remove(const QString& id)
{
    auto message = get(id);
    TRY(message);
    if (!*message)
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no message %1").arg(id));
    TRY(updateOne(db_, "DELETE FROM messages WHERE id = ?1", id, std::nullopt));
    if (notifier_) {
        Q_EMIT notifier_->messageRemoved((*message)->conversationId, id);
        Q_EMIT notifier_->conversationChanged((*message)->conversationId);
    }
    return {};
}

StoreOk MessageRepository::addReaction(const QString& id, const QString& userId, const QString& emoji, qint64 at)
{
    auto stmt
        = db_.cached("INSERT OR IGNORE INTO reactions (message_id, user_id, emoji, created_at) SELECT id, ?2, ?3, "
                     "?4 FROM messages WHERE id = ?1 AND tombstone = 0");
    TRY(stmt);
    (*stmt)->bind(1, id).bind(2, userId).bind(3, emoji).bind(4, at);
    TRY((*stmt)->exec());
    return announce(id);
}

StoreOk MessageRepository::removeReaction(const QString& id, const QString& userId, const QString& emoji)
{
    auto stmt = db_.cached("DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?");
    TRY(stmt);
    (*stmt)->bind(1, id).bind(2, userId).bind(3, emoji);
    TRY((*stmt)->exec());
    return announce(id);
}

StoreExpected<int> MessageRepository::expireEphemeral(qint64 nowMs)
{
    QList<QPair<QString, QString>> expired;
    {
        Transaction transaction(db_);
        TRY(transaction.begun());
        auto select = db_.cached("SELECT conversation_id, id FROM messages WHERE expires_at IS NOT NULL AND expires_at "
                                 "<= ?");
        TRY(select);
        (*select)->bind(1, nowMs);
        for (;;) {
            auto row = (*select)->step();
            TRY(row);
            if (!*row)
                break;
            expired.append({ (*select)->text(0), (*select)->text(1) });
        }
        auto remove = db_.cached("DELETE FROM messages WHERE expires_at IS NOT NULL AND expires_at <= ?");
        TRY(remove);
        (*remove)->bind(1, nowMs);
        TRY((*remove)->exec());
        TRY(transaction.commit());
    }
    if (notifier_) {
        QSet<QString> conversations;
        for (const auto& [conversation, id] : expired) {
            Q_EMIT notifier_->messageRemoved(conversation, id);
            conversations.insert(conversation);
        }
        for (const QString& id : conversations)
            Q_EMIT notifier_->conversationChanged(id);
    }
    return static_cast<int>(expired.size());
}

StoreExpected<std::optional<qint64>> MessageRepository::nextExpiry()
{
    auto stmt = db_.cached("SELECT min(expires_at) FROM messages WHERE expires_at IS NOT NULL");
    TRY(stmt);
    auto row = (*stmt)->step();
    TRY(row);
    const std::optional<qint64> next = *row ? (*stmt)->optionalInt64(0) : std::optional<qint64>();
    (*stmt)->reset(); // do not keep a read snapshot open
    return next;
}

StoreExpected<qint64> MessageRepository::count(const QString& conversationId)
{
    if (conversationId.isNull())
        return db_.count("SELECT count(*) FROM messages");
    return db_.count("SELECT count(*) FROM messages WHERE conversation_id = ?", conversationId);
}

StoreExpected<bool> MessageRepository::existsAt(
    const QString& conversationId, qint64 serverSeq, const QString& senderUserId)
{
    // sort_seq is the server_seq of a sequenced message (messages_timeline index).
    auto n = db_.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND sort_seq = ? AND server_seq = ? "
                       "AND sender_user_id = ?",
        conversationId, serverSeq, serverSeq, senderUserId);
    TRY(n);
    return *n > 0;
}

} // namespace tenchat::core::store
