// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/Statement.h"
#include "tenchat/core/store/StoreError.h"
#include "tenchat/crypto/SecretBytes.h"

#include <QString>

#include <memory>
#include <string>
#include <unordered_map>

struct sqlite3;

namespace tenchat::core::store {

// Cipher settings pinned explicitly, so that the file does not depend on the
// defaults of the SQLCipher build that opens it (3.x: 1 KiB pages and
// HMAC-SHA1; 4.x: 4 KiB pages and HMAC-SHA512). They are recorded in the
// profile header too.
struct CipherSettings {
    int pageSize = 4096;
    QString hmacAlgorithm = QStringLiteral("HMAC_SHA1");
    QString kdfAlgorithm = QStringLiteral("PBKDF2_HMAC_SHA1");
};

// One SQLCipher connection (RAII) with a prepared-statement cache.
// Not thread-safe: a Database belongs to the thread that uses it (the store's
// worker thread in the app).
class Database {
public:
    using CipherSettings = store::CipherSettings;

    // Opens an existing file (createIfMissing=false) or creates it. With a
    // non-empty raw key (32 bytes) the connection is keyed and the cipher
    // settings applied; with an empty key the database is plain SQLite (the
    // benchmark's unkeyed baseline). Nothing is read or written yet: call
    // verifyReadable() to find out whether the key fits.
    static StoreExpected<std::unique_ptr<Database>> open(const QString& path, const crypto::SecretBytes& rawKey,
        bool createIfMissing, const CipherSettings& cipher = CipherSettings {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Reads the schema: DamagedDatabase if the file does not decrypt/parse.
    StoreOk verifyReadable();
    // WAL, foreign keys, busy timeout, synchronous=NORMAL, cache size.
    StoreOk applyConnectionSettings();

    StoreOk exec(const std::string& sql); // one or more statements, no results
    // A cached prepared statement, reset and with bindings cleared.
    StoreExpected<Statement*> cached(const std::string& sql);
    // Runs a cached statement that returns no rows with `values` bound in
    // order; the changed row count.
    template <class... Values> StoreExpected<int> run(const std::string& sql, const Values&... values)
    {
        auto stmt = cached(sql);
        if (!stmt)
            return makeUnexpected(std::move(stmt).error());
        return (*stmt)->bindAll(values...).exec();
    }
    // The integer (a count(*)) that a cached single-row query returns, with
    // `values` bound in order; 0 when it returns no row.
    template <class... Values> StoreExpected<qint64> count(const std::string& sql, const Values&... values)
    {
        auto stmt = cached(sql);
        if (!stmt)
            return makeUnexpected(std::move(stmt).error());
        auto value = (*stmt)->bindAll(values...).template first<qint64>([](const Statement& s) { return s.int64(0); });
        if (!value)
            return makeUnexpected(std::move(value).error());
        return value->value_or(0);
    }
    // An uncached statement for one-off SQL.
    StoreExpected<Statement> prepare(const std::string& sql);

    StoreExpected<int> userVersion();
    StoreOk setUserVersion(int version);
    StoreOk rekey(const crypto::SecretBytes& newRawKey);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    bool keyed() const { return keyed_; }
    QString path() const { return path_; }
    QString cipherVersion(); // empty for plain SQLite
    sqlite3* handle() { return db_; }

    StoreError errorFrom(int rc, const char* what) const;

private:
    Database(sqlite3* db, QString path, bool keyed) : db_(db), path_(std::move(path)), keyed_(keyed) { }
    StoreOk applyKey(const char* pragma, const crypto::SecretBytes& rawKey);

    sqlite3* db_ = nullptr;
    QString path_;
    bool keyed_ = false;
    std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// The outcome of an UPDATE or DELETE of one row by its key: NotFound with
// `missing` when no row matched.
inline StoreOk expectChanged(StoreExpected<int> changed, const QString& missing)
{
    if (!changed)
        return makeUnexpected(std::move(changed).error());
    if (*changed == 0)
        return storeError(StoreErrorCode::NotFound, missing);
    return {};
}

} // namespace tenchat::core::store
