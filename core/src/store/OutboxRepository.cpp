// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/OutboxRepository.h"

#include "tenchat/core/store/Database.h"

namespace tenchat::core::store {

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

StoreExpected<qint64> OutboxRepository::enqueue(const OutboxItem& item)
{
    auto stmt = db_.cached("INSERT INTO outbox (message_id, conversation_id, kind, payload, attempts, next_attempt_at, "
                           "created_at) VALUES (?, ?, ?, ?, 0, ?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, item.messageId).bind(2, item.conversationId).bind(3, static_cast<int>(item.kind));
    (*stmt)->bind(4, item.payload.isNull() ? QByteArray("") : item.payload).bind(5, item.nextAttemptAt);
    (*stmt)->bind(6, item.createdAt);
    TRY((*stmt)->exec());
    return static_cast<qint64>(db_.lastInsertRowId());
}

StoreExpected<QList<OutboxItem>> OutboxRepository::due(qint64 nowMs, int limit)
{
    // In id order, stopping after `limit` due items. "+next_attempt_at": on
    // a profile not yet at schema 5, SQLite 3.15 would range over
    // outbox_due and read and sort every due row (payloads included) on
    // each call, O(outbox size) per flush while thousands are queued.
    auto stmt = db_.cached("SELECT id, kind, message_id, conversation_id, payload, attempts, next_attempt_at, "
                           "created_at, last_error FROM outbox WHERE +next_attempt_at <= ? ORDER BY id LIMIT ?");
    TRY(stmt);
    return (*stmt)->bindAll(nowMs, limit).collect<OutboxItem>([](const Statement& s) {
        OutboxItem item;
        item.id = s.int64(0);
        item.kind = static_cast<OutboxKind>(s.int32(1));
        item.messageId = s.text(2);
        item.conversationId = s.text(3);
        item.payload = s.blob(4);
        item.attempts = s.int32(5);
        item.nextAttemptAt = s.int64(6);
        item.createdAt = s.int64(7);
        item.lastError = s.text(8);
        return item;
    });
}

StoreOk OutboxRepository::remove(qint64 id)
{
    TRY(db_.run("DELETE FROM outbox WHERE id = ?", id));
    return {};
}

StoreOk OutboxRepository::reschedule(qint64 id, qint64 nextAttemptAt, const QString& error)
{
    return expectChanged(
        db_.run("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
            nextAttemptAt, error, id),
        QStringLiteral("no outbox item %1").arg(id));
}

StoreExpected<int> OutboxRepository::size()
{
    auto n = db_.count("SELECT count(*) FROM outbox");
    TRY(n);
    return static_cast<int>(*n);
}

} // namespace tenchat::core::store
