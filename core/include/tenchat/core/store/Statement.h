// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

namespace tenchat::core::store {

// RAII wrapper of one prepared statement. Bind parameters are 1-based like
// SQLite's; columns are 0-based. A Statement handed out by Database's cache is
// reset (and its bindings cleared) every time it is fetched again.
class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) { }
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;

    bool valid() const { return stmt_ != nullptr; }

    // Any integer type (int, qint64, std::int64_t, ...) binds as a 64-bit integer.
    template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) Statement& bind(int index, T value)
    {
        return bindInt64(index, static_cast<std::int64_t>(value));
    }
    Statement& bind(int index, bool value) { return bindInt64(index, value ? 1 : 0); }
    Statement& bindInt64(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value); // a null QString binds NULL
    Statement& bind(int index, std::span<const std::uint8_t> blob);
    Statement& bind(int index, const QByteArray& blob);
    Statement& bindNull(int index);
    Statement& bindOptional(int index, const std::optional<qint64>& value);

    // Advances to the next row: true for a row, false when done; errors as values.
    StoreExpected<bool> step();
    // Runs to completion (for INSERT/UPDATE/DELETE); returns the changed row count.
    StoreExpected<int> exec();
    void reset();

    bool isNull(int column) const;
    qint64 int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    QString text(int column) const; // NULL -> null QString
    QByteArray blob(int column) const;
    std::optional<qint64> optionalInt64(int column) const;

private:
    StoreError lastError(int rc) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

} // namespace tenchat::core::store
