// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/Transaction.h"

#include "tenchat/core/store/Database.h"

namespace tenchat::core::store {

Transaction::Transaction(Database& db) : db_(db), begun_(db.exec("BEGIN IMMEDIATE"))
{
    active_ = begun_.hasValue();
}

Transaction::~Transaction()
{
    if (active_)
        (void)db_.exec("ROLLBACK");
}

StoreOk Transaction::commit()
{
    if (!active_)
        return storeError(StoreErrorCode::Sql, QStringLiteral("commit without an open transaction"));
    auto done = db_.exec("COMMIT");
    if (done)
        active_ = false;
    return done;
}

} // namespace tenchat::core::store
