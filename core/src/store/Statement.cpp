// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/Statement.h"

#include <sqlcipher/sqlite3.h>

#include <utility>

namespace tenchat::core::store {

Statement::~Statement()
{
    if (stmt_)
        sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr))
{ }

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        if (stmt_)
            sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement& Statement::bindInt64(int index, std::int64_t value)
{
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, const QString& value)
{
    if (value.isNull())
        return bindNull(index);
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(stmt_, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob)
{
    // A zero-length blob must stay a blob (not NULL): pass a non-null pointer.
    static const std::uint8_t empty = 0;
    sqlite3_bind_blob(
        stmt_, index, blob.empty() ? &empty : blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, const QByteArray& blob)
{
    if (blob.isNull())
        return bindNull(index);
    return bind(index,
        std::span<const std::uint8_t>(
            reinterpret_cast<const std::uint8_t*>(blob.constData()), static_cast<std::size_t>(blob.size())));
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(stmt_, index);
    return *this;
}

Statement& Statement::bindOptional(int index, const std::optional<qint64>& value)
{
    return value ? bindInt64(index, *value) : bindNull(index);
}

StoreExpected<bool> Statement::step()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    StoreError error = lastError(rc);
    sqlite3_reset(stmt_);
    return makeUnexpected(std::move(error));
}

StoreExpected<int> Statement::exec()
{
    for (;;) {
        auto row = step();
        if (!row)
            return makeUnexpected(std::move(row).error());
        if (!*row)
            break;
    }
    const int changed = sqlite3_changes(db_);
    sqlite3_reset(stmt_);
    return changed;
}

void Statement::reset()
{
    if (!stmt_)
        return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(stmt_, column);
}

QString Statement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(stmt_, column));
}

QByteArray Statement::blob(int column) const
{
    const void* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (!data)
        return sqlite3_column_type(stmt_, column) == SQLITE_NULL ? QByteArray() : QByteArray("");
    return QByteArray(static_cast<const char*>(data), size);
}

std::optional<qint64> Statement::optionalInt64(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return int64(column);
}

StoreErrorCode Statement::errorCodeOf(int rc)
{
    const int primary = rc & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
        return StoreErrorCode::DamagedDatabase;
    if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN)
        return StoreErrorCode::Io;
    return StoreErrorCode::Sql;
}

StoreError Statement::lastError(int rc) const
{
    return StoreError { errorCodeOf(rc),
        QStringLiteral("%1 (%2)").arg(QString::fromUtf8(sqlite3_errmsg(db_))).arg(rc) };
}

} // namespace tenchat::core::store
