// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>
#include <QString>
#include <QtGlobal>

namespace tenchat::core::store {

class Database;

// Local full-text search over message bodies (FTS4, unicode61 tokenizer:
// case- and diacritics-insensitive). Edits, tombstones, deletes and expiry
// are reflected by triggers on the messages table; new messages are queued
// in fts_pending by the insert transaction and indexed by SearchIndexer
// (below). search() drains that queue first, so results are exact.
class SearchIndex {
public:
    struct Query {
        QString text; // words the user typed; every word must match; a trailing '*' matches prefixes
        QString conversationId; // empty: all conversations
        int limit = 50;
        QString highlightOpen = QStringLiteral("<b>");
        QString highlightClose = QStringLiteral("</b>");
        QString ellipsis = QStringLiteral("\u2026");
    };

    explicit SearchIndex(Database& db) : db_(db) { }

    // Newest matches first. User text never reaches FTS query syntax unquoted,
    // so no input can produce a syntax error or an unintended operator.
    StoreExpected<QList<SearchHit>> search(const Query& query);

    // Indexes every message queued in fts_pending in one statement, inside
    // the caller's transaction. Kept for compatibility; SearchIndexer indexes
    // in bounded batches instead. Cheap when nothing is queued.
    static StoreOk flushPending(Database& db);

    // The FTS4 MATCH expression built from user text ("" when nothing to search).
    static QString matchExpression(const QString& text);

private:
    Database& db_;
};

// Full-text search is a derived projection (architecture §10): the insert
// transaction only queues the new row ids in fts_pending (durably, in the
// same transaction, so a crash never loses an index entry), and the
// SearchIndexer moves them into messages_fts in its own short transactions
// of at most `batchSize` messages. It runs on the store's thread: after
// inserts (AsyncStore schedules it), at open (rows left by a crash), and
// before every search query (SearchIndex::search drains first, so a search
// never misses a committed message). Edits, tombstones and deletes of rows
// still queued are handled by the triggers of migration 4 (they skip the FTS
// table for queued rows; the drain indexes the current body).
class SearchIndexer {
public:
    static constexpr int kDefaultBatchSize = 5000;

    explicit SearchIndexer(Database& db) : db_(db) { }

    // Indexes up to `maxRows` of the oldest queued rows in one transaction
    // (a savepoint when called inside one). Returns how many rows left the
    // queue; 0 when it was empty.
    StoreExpected<int> indexBatch(int maxRows = kDefaultBatchSize);

    // Indexes the whole queue, batch after batch. Returns the rows indexed.
    StoreExpected<qint64> drain(int batchSize = kDefaultBatchSize);

    // Whether any row waits for indexing (one cheap B-tree probe).
    StoreExpected<bool> hasPending();

    // Number of queued rows (counts the queue; for tests and diagnostics).
    StoreExpected<qint64> pendingCount();

private:
    Database& db_;
};

} // namespace tenchat::core::store
