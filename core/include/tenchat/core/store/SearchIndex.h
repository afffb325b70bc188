// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>
#include <QString>

namespace tenchat::core::store {

class Database;

// Local full-text search over message bodies (FTS4, unicode61 tokenizer:
// case- and diacritics-insensitive). The index is maintained by triggers on
// the messages table, so edits, tombstones, deletes and expiry are reflected
// without any call here; new messages are queued by a trigger and indexed in
// one batch per transaction (see migration 4 for why).
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

    // Indexes the messages queued by the insert trigger (fts_pending) in one
    // statement. Call inside the writing transaction; cheap when nothing is queued.
    static StoreOk flushPending(Database& db);

    // The FTS4 MATCH expression built from user text ("" when nothing to search).
    static QString matchExpression(const QString& text);

private:
    Database& db_;
};

} // namespace tenchat::core::store
