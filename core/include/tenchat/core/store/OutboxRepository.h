// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>

namespace tenchat::core::store {

class Database;

// Encrypted payloads waiting for the relay, so that sending survives a
// restart. The sync coordinator takes due items in order, and either removes
// them (accepted) or reschedules them with a back-off (failed).
class OutboxRepository {
public:
    explicit OutboxRepository(Database& db) : db_(db) { }

    StoreExpected<qint64> enqueue(const OutboxItem& item); // returns the new id
    StoreExpected<QList<OutboxItem>> due(qint64 nowMs, int limit);
    StoreOk remove(qint64 id);
    StoreOk reschedule(qint64 id, qint64 nextAttemptAt, const QString& error);
    StoreExpected<int> size();

private:
    Database& db_;
};

} // namespace tenchat::core::store
