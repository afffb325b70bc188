// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/Database.h"

#include "tenchat/core/store/VisibleText.h"

#include <sodium.h>
#include <sqlcipher/sqlite3.h>

#include <QFileInfo>

#include <cstring>

namespace tenchat::core::store {

namespace {

// Builds `PRAGMA <name> = "x'<hex>'";` in a zeroizing buffer so that the
// hex form of the key never lands in an unzeroed std::string.
crypto::SecretBytes keyPragma(const char* name, const crypto::SecretBytes& rawKey)
{
    static const char digits[] = "0123456789abcdef";
    const std::string prefix = std::string("PRAGMA ") + name + " = \"x'";
    const std::string suffix = "'\";";
    crypto::SecretBytes sql(prefix.size() + rawKey.size() * 2 + suffix.size() + 1);
    auto* out = reinterpret_cast<char*>(sql.data());
    std::memcpy(out, prefix.data(), prefix.size());
    out += prefix.size();
    for (std::uint8_t byte : rawKey.view()) {
        *out++ = digits[byte >> 4];
        *out++ = digits[byte & 0x0f];
    }
    std::memcpy(out, suffix.data(), suffix.size());
    out[suffix.size()] = '\0';
    return sql;
}

} // namespace

StoreExpected<std::unique_ptr<Database>> Database::open(
    const QString& path, const crypto::SecretBytes& rawKey, bool createIfMissing, const CipherSettings& cipher)
{
    if (!createIfMissing && !QFileInfo::exists(path))
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no database at %1").arg(path));
    if (!rawKey.empty() && rawKey.size() != 32)
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("the database key must be 32 bytes"));

    sqlite3* handle = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | (createIfMissing ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &handle, flags, nullptr);
    if (rc != SQLITE_OK) {
        QString message = QString::fromUtf8(handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
        sqlite3_close_v2(handle);
        return storeError(StoreErrorCode::Io, QStringLiteral("cannot open %1: %2").arg(path, message));
    }
    sqlite3_extended_result_codes(handle, 1);
    std::unique_ptr<Database> db(new Database(handle, path, !rawKey.empty()));
    // The full-text index and its triggers call it (migration 6).
    if (!VisibleText::registerSqlFunction(handle))
        return storeError(StoreErrorCode::Sql, QStringLiteral("cannot register tenchat_visible_text"));
    if (rawKey.empty())
        return db;

    if (auto keyed = db->applyKey("key", rawKey); !keyed)
        return makeUnexpected(std::move(keyed).error());
    // Unknown pragmas are ignored by SQLite, so the 4.x-only names are safe on
    // 3.4 (where HMAC-SHA1/PBKDF2-SHA1 are the fixed defaults anyway).
    const std::string settings = "PRAGMA cipher_page_size = " + std::to_string(cipher.pageSize)
        + "; PRAGMA cipher_hmac_algorithm = " + cipher.hmacAlgorithm.toStdString()
        + "; PRAGMA cipher_kdf_algorithm = " + cipher.kdfAlgorithm.toStdString() + ";";
    if (auto applied = db->exec(settings); !applied)
        return makeUnexpected(std::move(applied).error());
    return db;
}

Database::~Database()
{
    cache_.clear(); // finalize statements before closing
    if (db_)
        sqlite3_close_v2(db_);
}

StoreOk Database::applyKey(const char* pragma, const crypto::SecretBytes& rawKey)
{
    crypto::SecretBytes sql = keyPragma(pragma, rawKey);
    const int rc = sqlite3_exec(db_, reinterpret_cast<const char*>(sql.data()), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return makeUnexpected(errorFrom(rc, pragma)); // the message never echoes the SQL
    return {};
}

StoreOk Database::verifyReadable()
{
    // Reading the schema decrypts page 1: a wrong key or a damaged file fails here.
    auto stmt = prepare("SELECT count(*) FROM sqlite_master");
    if (!stmt)
        return makeUnexpected(StoreError { StoreErrorCode::DamagedDatabase, stmt.error().message });
    auto row = stmt->step();
    if (!row)
        return makeUnexpected(StoreError { StoreErrorCode::DamagedDatabase, row.error().message });
    return {};
}

StoreOk Database::applyConnectionSettings()
{
    sqlite3_busy_timeout(db_, 5000);
    // WAL: readers never block the writer; synchronous=NORMAL is durable
    // against application crashes (and consistent after power loss).
    auto mode = prepare("PRAGMA journal_mode = WAL");
    if (!mode)
        return makeUnexpected(std::move(mode).error());
    if (auto row = mode->step(); !row)
        return makeUnexpected(std::move(row).error());
    return exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; "
                "PRAGMA temp_store = MEMORY;");
}

StoreOk Database::exec(const std::string& sql)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        StoreError error = errorFrom(rc, "exec");
        if (message) {
            error.message = QString::fromUtf8(message);
            sqlite3_free(message);
        }
        return makeUnexpected(std::move(error));
    }
    return {};
}

StoreExpected<Statement*> Database::cached(const std::string& sql)
{
    auto found = cache_.find(sql);
    if (found != cache_.end()) {
        found->second->reset();
        return found->second.get();
    }
    auto stmt = prepare(sql);
    if (!stmt)
        return makeUnexpected(std::move(stmt).error());
    auto owned = std::make_unique<Statement>(std::move(*stmt));
    Statement* raw = owned.get();
    cache_.emplace(sql, std::move(owned));
    return raw;
}

StoreExpected<Statement> Database::prepare(const std::string& sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return makeUnexpected(errorFrom(rc, "prepare"));
    }
    return Statement(db_, stmt);
}

StoreExpected<int> Database::userVersion()
{
    auto stmt = prepare("PRAGMA user_version");
    if (!stmt)
        return makeUnexpected(std::move(stmt).error());
    auto row = stmt->step();
    if (!row)
        return makeUnexpected(std::move(row).error());
    return *row ? stmt->int32(0) : 0;
}

StoreOk Database::setUserVersion(int version)
{
    return exec("PRAGMA user_version = " + std::to_string(version));
}

StoreOk Database::rekey(const crypto::SecretBytes& newRawKey)
{
    if (!keyed_ || newRawKey.size() != 32)
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("rekey needs a keyed database and 32 bytes"));
    cache_.clear(); // SQLCipher rewrites every page; no statement may be pending
    return applyKey("rekey", newRawKey);
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const
{
    return sqlite3_changes(db_);
}

QString Database::cipherVersion()
{
    auto stmt = prepare("PRAGMA cipher_version");
    if (!stmt)
        return {};
    auto row = stmt->step();
    return (row && *row) ? stmt->text(0) : QString();
}

StoreError Database::errorFrom(int rc, const char* what) const
{
    return StoreError { Statement::errorCodeOf(rc),
        QStringLiteral("%1: %2 (%3)").arg(QString::fromUtf8(what), QString::fromUtf8(sqlite3_errmsg(db_))).arg(rc) };
}

} // namespace tenchat::core::store
