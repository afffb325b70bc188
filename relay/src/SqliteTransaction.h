// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// BEGIN IMMEDIATE ... COMMIT for SqliteStorage, rolled back on scope exit
// unless commit() succeeded; and the unsigned-to-SQLite integer cast.

#include <sqlcipher/sqlite3.h>

#include <cstdint>

namespace tenchat::relay {

inline std::int64_t i64(std::uint64_t v)
{
    return static_cast<std::int64_t>(v);
}

// BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() succeeded.
class SqliteTransaction {
public:
    explicit SqliteTransaction(sqlite3* db) : db_(db)
    {
        ok_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~SqliteTransaction()
    {
        if (ok_ && !committed_)
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    bool begun() const { return ok_; }
    bool commit()
    {
        committed_ = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
        return committed_;
    }

private:
    sqlite3* db_;
    bool ok_ = false;
    bool committed_ = false;
};

} // namespace tenchat::relay
