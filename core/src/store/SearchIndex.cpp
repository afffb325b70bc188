// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/SearchIndex.h"

#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/Transaction.h"

#include <QRegularExpression>

#include <algorithm>

namespace tenchat::core::store {

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

QString SearchIndex::matchExpression(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s\"]+"));
    QStringList terms;
    for (QString word : text.split(separators, Qt::SkipEmptyParts)) {
        const bool prefix = word.endsWith(QLatin1Char('*'));
        while (word.endsWith(QLatin1Char('*')))
            word.chop(1);
        if (word.isEmpty())
            continue;
        // A quoted phrase: operators (OR, NEAR, -) and punctuation lose their meaning.
        terms.append(QLatin1Char('"') + word + (prefix ? QStringLiteral("*\"") : QStringLiteral("\"")));
    }
    return terms.join(QLatin1Char(' '));
}

StoreOk SearchIndex::flushPending(Database& db)
{
    auto any = db.cached("SELECT EXISTS (SELECT 1 FROM fts_pending)");
    TRY(any);
    auto row = (*any)->step();
    TRY(row);
    const bool queued = *row && (*any)->int64(0) != 0;
    (*any)->reset();
    if (!queued)
        return {};
    // Ascending docids: FTS4 keeps them in one pending segment.
    auto index = db.cached("INSERT INTO messages_fts (docid, body) SELECT m.rid, tenchat_visible_text(m.content_type, "
                           "m.body) FROM fts_pending p JOIN "
                           "messages m ON m.rid = p.rid WHERE m.body IS NOT NULL ORDER BY p.rid");
    TRY(index);
    TRY((*index)->exec());
    auto clear = db.cached("DELETE FROM fts_pending");
    TRY(clear);
    TRY((*clear)->exec());
    return {};
}

StoreExpected<QList<SearchHit>> SearchIndex::search(const Query& query)
{
    // Search is a derived projection: index every committed message still
    // queued before querying, so that no result is missing.
    if (auto drained = SearchIndexer(db_).drain(); !drained)
        return makeUnexpected(std::move(drained).error());
    const QString match = matchExpression(query.text);
    QList<SearchHit> out;
    if (match.isEmpty() || query.limit <= 0)
        return out;
    // docid order is insertion order, which FTS4 walks backwards natively:
    // newest-first costs no sort even for a word in every other message.
    const std::string sql
        = std::string("SELECT m.id, m.conversation_id, m.sent_at, snippet(messages_fts, ?3, ?4, ?5, -1, 12) FROM "
                      "messages_fts JOIN messages m ON m.rid = messages_fts.docid WHERE messages_fts MATCH ?1 ")
        + (query.conversationId.isEmpty() ? "" : "AND m.conversation_id = ?2 ")
        + "ORDER BY messages_fts.docid DESC LIMIT ?6";
    auto stmt = db_.cached(sql);
    TRY(stmt);
    Statement& s = **stmt;
    // FTS4's snippet() fails with SQLITE_NOMEM on a NULL marker: a caller
    // that wants no markers gets empty strings instead.
    const auto marker = [](const QString& text) { return text.isNull() ? QString(QLatin1String("")) : text; };
    s.bind(1, match)
        .bind(3, marker(query.highlightOpen))
        .bind(4, marker(query.highlightClose))
        .bind(5, marker(query.ellipsis));
    s.bind(6, query.limit);
    if (!query.conversationId.isEmpty())
        s.bind(2, query.conversationId);
    for (;;) {
        auto row = s.step();
        TRY(row);
        if (!*row)
            break;
        out.append(SearchHit { s.text(0), s.text(1), s.int64(2), s.text(3) });
    }
    return out;
}

StoreExpected<bool> SearchIndexer::hasPending()
{
    auto any = db_.cached("SELECT EXISTS (SELECT 1 FROM fts_pending)");
    TRY(any);
    auto row = (*any)->step();
    TRY(row);
    const bool queued = *row && (*any)->int64(0) != 0;
    (*any)->reset();
    return queued;
}

StoreExpected<qint64> SearchIndexer::pendingCount()
{
    auto count = db_.cached("SELECT count(*) FROM fts_pending");
    TRY(count);
    auto row = (*count)->step();
    TRY(row);
    const qint64 n = *row ? (*count)->int64(0) : 0;
    (*count)->reset();
    return n;
}

StoreExpected<int> SearchIndexer::indexBatch(int maxRows)
{
    maxRows = std::max(1, maxRows);
    Transaction transaction(db_);
    TRY(transaction.begun());
    // The batch is the queue's prefix up to the maxRows-th row id, so that
    // the INSERT and the DELETE below cover exactly the same rows.
    auto bound = db_.cached("SELECT max(rid), count(*) FROM (SELECT rid FROM fts_pending ORDER BY rid LIMIT ?1)");
    TRY(bound);
    (*bound)->bind(1, maxRows);
    auto row = (*bound)->step();
    TRY(row);
    const qint64 last = *row ? (*bound)->int64(0) : 0;
    const int count = *row ? (*bound)->int32(1) : 0;
    (*bound)->reset();
    if (count == 0)
        return 0;
    // Ascending docids: FTS4 appends them to one pending segment. Rows
    // tombstoned while queued (body NULL) are skipped; edited ones are
    // indexed with their current body.
    auto index = db_.cached("INSERT INTO messages_fts (docid, body) SELECT m.rid, tenchat_visible_text(m.content_type, "
                            "m.body) FROM fts_pending p JOIN "
                            "messages m ON m.rid = p.rid WHERE p.rid <= ?1 AND m.body IS NOT NULL ORDER BY p.rid");
    TRY(index);
    (*index)->bind(1, last);
    TRY((*index)->exec());
    auto clear = db_.cached("DELETE FROM fts_pending WHERE rid <= ?1");
    TRY(clear);
    (*clear)->bind(1, last);
    TRY((*clear)->exec());
    TRY(transaction.commit());
    return count;
}

StoreExpected<qint64> SearchIndexer::drain(int batchSize)
{
    qint64 total = 0;
    for (;;) {
        auto indexed = indexBatch(batchSize);
        TRY(indexed);
        if (*indexed == 0)
            return total;
        total += *indexed;
    }
}

} // namespace tenchat::core::store
