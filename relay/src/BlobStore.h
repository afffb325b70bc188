// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The relay's content-addressed blob store for encrypted media chunks.
// Each blob is a file named by the hex of its id (BLAKE2b-256 of its bytes)
// in sharded folders <dir>/ab/cd/<hex>; a small SQLite database (blobs.db)
// records size, owner (the account charged for it, the first uploader), the
// last time an upload claimed it, and which conversations reference it.
// A blob without references is garbage once its grace period has passed.
// The relay never sees keys or plaintext: blobs are ciphertext.

#include "SqliteStatement.h"
#include "StorageTypes.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tenchat::relay {

constexpr std::size_t kBlobIdBytes = 32;

struct BlobGarbage {
    std::uint64_t blobsRemoved = 0;
    std::uint64_t bytesRemoved = 0;
    std::uint64_t referencesExpired = 0;
};

class BlobStore {
public:
    // Opens (creating) the store in `dir`. With `durable`, each blob file is
    // fsynced before it is renamed into place and recorded.
    static StorageResult<std::unique_ptr<BlobStore>> open(const QString& dir, bool durable);
    ~BlobStore();
    BlobStore(const BlobStore&) = delete;
    BlobStore& operator=(const BlobStore&) = delete;

    // Whether the blob is stored; a present blob is "claimed" (its grace
    // period restarts) so that garbage collection keeps it for the upload
    // that is about to reference it.
    StorageResult<bool> claim(const std::string& id, std::uint64_t nowMs);
    // Stores `data` (whose BLAKE2b-256 the caller checked equals `id`) and
    // charges it to `ownerUserId`. Returns true when it was already present.
    // Same as claim(), then writeFile() and record() when it was not present.
    StorageResult<bool> put(
        const std::string& id, const std::string& data, const std::string& ownerUserId, std::uint64_t nowMs);
    // Writes the blob file (through tmp/, renamed into place, write-back
    // started). Touches no database: safe on a worker thread, concurrently
    // with everything else (even for the same id: the content is the same).
    StorageResult<void> writeFile(const std::string& id, const std::string& data) const;
    // Records a blob whose file writeFile() wrote and charges it to
    // `ownerUserId`. Returns true when it was already recorded (a concurrent
    // upload of the same chunk).
    StorageResult<bool> record(
        const std::string& id, std::uint64_t size, const std::string& ownerUserId, std::uint64_t nowMs);
    // Records that `conversationId` references each blob (all must exist),
    // in one transaction. NotFound names the first missing blob.
    StorageResult<void> reference(
        const std::vector<std::string>& ids, const std::string& conversationId, std::uint64_t nowMs);
    // The conversations referencing a blob (empty: unknown or unreferenced).
    StorageResult<std::vector<std::string>> referencedBy(const std::string& id);
    // Reads `length` bytes (0 = to the end) from `offset`; sets `total`.
    StorageResult<std::string> read(
        const std::string& id, std::uint64_t offset, std::uint64_t length, std::uint64_t& total);
    // Bytes charged to an account.
    StorageResult<std::uint64_t> usage(const std::string& userId);
    // Drops references older than `maxReferenceAgeMs` (0 = keep) and blobs
    // without references not claimed within `graceMs`.
    StorageResult<BlobGarbage> collectGarbage(
        std::uint64_t nowMs, std::uint64_t graceMs, std::uint64_t maxReferenceAgeMs);

    std::uint64_t totalBytes() const { return totalBytes_; }
    std::uint64_t count() const { return count_; }
    // The file of a blob (for tests and operators).
    QString pathOf(const std::string& id) const;

private:
    BlobStore(sqlite3* db, QString dir, bool durable);
    bool exec(const char* sql);
    SqliteStatement& statement(const char* sql);
    StorageResult<void> refreshTotals();
    StorageError failure(const std::string& what) const;

    sqlite3* db_;
    QString dir_;
    bool durable_;
    std::unordered_map<const char*, std::unique_ptr<SqliteStatement>> statements_;
    std::unordered_map<std::string, std::uint64_t> usage_; // cache per account
    std::uint64_t totalBytes_ = 0;
    std::uint64_t count_ = 0;
};

} // namespace tenchat::relay
