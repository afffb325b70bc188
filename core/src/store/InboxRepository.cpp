// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/InboxRepository.h"

#include "tenchat/core/store/Database.h"

namespace tenchat::core::store {

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

StoreExpected<qint64> InboxRepository::add(const InboxEnvelope& e)
{
    auto stmt = db_.cached("INSERT OR IGNORE INTO inbox (source, conversation_id, server_seq, envelope, received_at) "
                           "VALUES (?, ?, ?, ?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, static_cast<int>(e.source)).bind(2, e.conversationId).bindOptional(3, e.serverSeq);
    (*stmt)->bind(4, e.envelope.isNull() ? QByteArray("") : e.envelope).bind(5, e.receivedAt);
    auto changed = (*stmt)->exec();
    TRY(changed);
    return *changed == 0 ? qint64(0) : static_cast<qint64>(db_.lastInsertRowId());
}

StoreExpected<QList<InboxEnvelope>> InboxRepository::pending(int limit)
{
    return pending(limit, 0);
}

StoreExpected<QList<InboxEnvelope>> InboxRepository::pending(int limit, qint64 afterId)
{
    auto stmt = db_.cached("SELECT id, source, conversation_id, server_seq, envelope, received_at, attempts, "
                           "last_error FROM inbox WHERE id > ? ORDER BY id LIMIT ?");
    TRY(stmt);
    return (*stmt)->bind(1, afterId).bind(2, limit).collect<InboxEnvelope>([](const Statement& s) {
        InboxEnvelope e;
        e.id = s.int64(0);
        e.source = static_cast<InboxSource>(s.int32(1));
        e.conversationId = s.text(2);
        e.serverSeq = s.optionalInt64(3);
        e.envelope = s.blob(4);
        e.receivedAt = s.int64(5);
        e.attempts = s.int32(6);
        e.lastError = s.text(7);
        return e;
    });
}

StoreOk InboxRepository::remove(qint64 id)
{
    TRY(db_.run("DELETE FROM inbox WHERE id = ?", id));
    return {};
}

StoreOk InboxRepository::recordFailure(qint64 id, const QString& error)
{
    TRY(db_.run("UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", error, id));
    return {};
}

StoreExpected<int> InboxRepository::size()
{
    auto n = db_.count("SELECT count(*) FROM inbox");
    TRY(n);
    return static_cast<int>(*n);
}

} // namespace tenchat::core::store
