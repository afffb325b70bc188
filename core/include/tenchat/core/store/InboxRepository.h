// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>

namespace tenchat::core::store {

class Database;

// Envelopes as received from the relay, persisted before decryption and
// before the relay is acknowledged; removed in the same transaction that
// stores the decrypted message. A redelivered (source, conversation, seq) is
// ignored.
class InboxRepository {
public:
    explicit InboxRepository(Database& db) : db_(db) { }

    // Returns the new id, or 0 when the envelope was already there.
    StoreExpected<qint64> add(const InboxEnvelope& envelope);
    StoreExpected<QList<InboxEnvelope>> pending(int limit); // oldest first
    // The next page: envelopes with an id above `afterId`, oldest first.
    StoreExpected<QList<InboxEnvelope>> pending(int limit, qint64 afterId);
    StoreOk remove(qint64 id);
    StoreOk recordFailure(qint64 id, const QString& error);
    StoreExpected<int> size();

private:
    Database& db_;
};

} // namespace tenchat::core::store
