// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A thin RAII wrapper over a prepared sqlite3 statement. Statements are
// prepared once and reset after each use (see SqliteStorage::statement).

#include <sqlcipher/sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tenchat::relay {

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    bool valid() const { return stmt_ != nullptr; }
    // Clears bindings and resets; returns *this for chaining binds.
    SqliteStatement& reset();
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, std::string_view blob); // as BLOB
    // As BLOB without a copy: `blob` must stay valid until the next reset.
    SqliteStatement& bindStatic(int index, std::string_view blob);
    SqliteStatement& bindText(int index, std::string_view text);
    SqliteStatement& bindNull(int index);

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    std::int64_t integer(int column) const;
    std::string blob(int column) const;
    bool isNull(int column) const;

private:
    sqlite3_stmt* stmt_ = nullptr;
};

} // namespace tenchat::relay
