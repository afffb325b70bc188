// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"

#include <QByteArray>
#include <QList>
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
    Statement& bind(int index, const std::optional<qint64>& value) { return bindOptional(index, value); }
    // Binds `values` to parameters 1, 2, ... in order: most statements bind
    // each parameter once, and a list cannot get an index wrong.
    template <class... Values> Statement& bindAll(const Values&... values)
    {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    // Advances to the next row: true for a row, false when done; errors as values.
    StoreExpected<bool> step();
    // Runs to completion (for INSERT/UPDATE/DELETE); returns the changed row count.
    StoreExpected<int> exec();
    void reset();

    // Every remaining row, each made into a Row by `readRow(*this)`: the step
    // loop of every multi-row query, with its errors as values.
    template <class Row, class ReadRow> StoreExpected<QList<Row>> collect(ReadRow&& readRow)
    {
        QList<Row> rows;
        for (;;) {
            auto row = step();
            if (!row)
                return makeUnexpected(std::move(row).error());
            if (!*row)
                return rows;
            rows.append(readRow(*this));
        }
    }
    // The first row, if there is one, made into a Row by `readRow(*this)`;
    // then resets, so that a cached statement keeps no read snapshot open.
    template <class Row, class ReadRow> StoreExpected<std::optional<Row>> first(ReadRow&& readRow)
    {
        auto row = step();
        if (!row)
            return makeUnexpected(std::move(row).error());
        std::optional<Row> out;
        if (*row)
            out = readRow(*this);
        reset();
        return out;
    }

    // The error code for an SQLite result code: damage and I/O apart from
    // other SQL failures (shared with Database's own errors).
    static StoreErrorCode errorCodeOf(int rc);

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
