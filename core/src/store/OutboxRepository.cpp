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
    Statement& s = **stmt;
    s.bind(1, nowMs).bind(2, limit);
    QList<OutboxItem> out;
    for (;;) {
        auto row = s.step();
        TRY(row);
        if (!*row)
            break;
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
        out.append(std::move(item));
    }
    return out;
}

StoreOk OutboxRepository::remove(qint64 id)
{
    auto stmt = db_.cached("DELETE FROM outbox WHERE id = ?");
    TRY(stmt);
    (*stmt)->bind(1, id);
    TRY((*stmt)->exec());
    return {};
}

StoreOk OutboxRepository::reschedule(qint64 id, qint64 nextAttemptAt, const QString& error)
{
    auto stmt
        = db_.cached("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?");
    TRY(stmt);
    (*stmt)->bind(1, nextAttemptAt).bind(2, error).bind(3, id);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed == 0)
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no outbox item %1").arg(id));
    return {};
}

StoreExpected<int> OutboxRepository::size()
{
    auto stmt = db_.cached("SELECT count(*) FROM outbox");
    TRY(stmt);
    auto row = (*stmt)->step();
    TRY(row);
    const int n = (*stmt)->int32(0);
    (*stmt)->reset();
    return n;
}

} // namespace tenchat::core::store
