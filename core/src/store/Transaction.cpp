// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/Transaction.h"

#include "tenchat/core/store/Database.h"

#include <sqlcipher/sqlite3.h>

namespace tenchat::core::store {

Transaction::Transaction(Database& db) : db_(db), nested_(sqlite3_get_autocommit(db.handle()) == 0)
{
    begun_ = db.exec(nested_ ? "SAVEPOINT tenchat_nested" : "BEGIN IMMEDIATE");
    active_ = begun_.hasValue();
}

Transaction::~Transaction()
{
    if (!active_)
        return;
    if (nested_)
        (void)db_.exec("ROLLBACK TO tenchat_nested; RELEASE tenchat_nested");
    else
        (void)db_.exec("ROLLBACK");
}

StoreOk Transaction::commit()
{
    if (!active_)
        return storeError(StoreErrorCode::Sql, QStringLiteral("commit without an open transaction"));
    auto done = db_.exec(nested_ ? "RELEASE tenchat_nested" : "COMMIT");
    if (done)
        active_ = false;
    return done;
}

} // namespace tenchat::core::store
