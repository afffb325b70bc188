// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Storage on SQLite in WAL mode (SQLCipher's libsqlite, used unkeyed). One
// database file `relay.db` in the data directory. Device lists and
// memberships are cached in memory because every append checks them; the
// cache is updated by the same methods that write them.

#include "SqliteStatement.h"
#include "Storage.h"

#include <memory>
#include <unordered_map>

namespace tenchat::relay {

class SqliteStorage final : public Storage {
public:
    // synchronousFull: fsync every commit (durable against power loss);
    // otherwise WAL's NORMAL mode (durable against process crashes).
    static StorageResult<std::unique_ptr<SqliteStorage>> open(const std::string& path, bool synchronousFull);
    ~SqliteStorage() override;

    StorageResult<void> createAccount(const std::string& handle, const DeviceRecord& firstDevice) override;
    StorageResult<std::optional<std::string>> userByHandle(const std::string& handle) override;
    StorageResult<std::optional<std::string>> handleOf(const std::string& userId) override;
    StorageResult<std::uint32_t> addDevice(const DeviceRecord& device) override;
    StorageResult<std::vector<DeviceRecord>> devices(const std::string& userId) override;
    StorageResult<void> revokeDevice(const std::string& userId, std::uint32_t deviceId, std::uint64_t nowMs) override;

    StorageResult<std::uint32_t> uploadPreKeys(const std::string& userId, std::uint32_t deviceId,
        const std::optional<SignedPreKeyRecord>& signedPreKey, const std::vector<OneTimePreKeyRecord>& oneTime,
        bool replaceOneTime) override;
    StorageResult<std::uint32_t> oneTimePreKeyCount(const std::string& userId, std::uint32_t deviceId) override;
    StorageResult<bool> hasSignedPreKey(const std::string& userId, std::uint32_t deviceId) override;
    StorageResult<BundleRecord> takeBundle(const DeviceRecord& device) override;

    StorageResult<void> createConversation(const ConversationRecord& conversation,
        const std::vector<MemberRecord>& members, EntryRecord& createdEntry) override;
    StorageResult<std::optional<std::string>> directConversation(const std::string& directKey) override;
    StorageResult<std::optional<ConversationRecord>> conversation(const std::string& conversationId) override;
    StorageResult<std::vector<MemberRecord>> members(const std::string& conversationId) override;
    StorageResult<std::vector<std::string>> conversationsOf(const std::string& userId) override;
    StorageResult<void> changeMembers(const std::string& conversationId, const std::vector<MemberRecord>& upserts,
        const std::vector<std::string>& removals, EntryRecord& membershipEntry) override;

    StorageResult<void> appendBatch(
        std::vector<EntryRecord>& entries, std::vector<AppendOutcome>& outcomes, bool deferDurability) override;
    std::function<bool()> deferredSyncer() override;
    StorageResult<std::vector<EntryRecord>> entriesAfter(const std::string& conversationId, std::uint64_t afterSeq,
        std::uint64_t minSeq, std::uint32_t limit, std::uint64_t nowMs) override;
    StorageResult<std::vector<EntryRecord>> entriesBefore(const std::string& conversationId, std::uint64_t beforeSeq,
        std::uint64_t minSeq, std::uint32_t limit, std::uint64_t nowMs) override;

    StorageResult<std::map<std::string, std::uint64_t>> cursors(
        const std::string& userId, std::uint32_t deviceId) override;
    StorageResult<void> saveCursors(const std::vector<CursorRecord>& cursors) override;

    StorageResult<void> enqueueToDevice(std::vector<ToDeviceRecord>& messages, bool& duplicate) override;
    StorageResult<std::vector<ToDeviceRecord>> pendingToDevice(
        const std::string& userId, std::uint32_t deviceId, std::uint32_t limit) override;
    StorageResult<void> deleteToDevice(
        const std::string& userId, std::uint32_t deviceId, const std::vector<std::uint64_t>& ids) override;

    StorageResult<std::uint64_t> purgeExpired(std::uint64_t nowMs, std::uint64_t maxRetentionMs) override;

private:
    SqliteStorage(sqlite3* db, std::string path, bool synchronousFull);
    StorageResult<void> migrate();
    bool exec(const char* sql);
    SqliteStatement& statement(const char* sql);
    StorageError failure(const char* what) const;
    // Appends one entry inside an open transaction; assigns seq.
    bool insertEntry(EntryRecord& entry, ConversationRecord& conversation);
    bool storeLastSeq(const ConversationRecord& conversation);
    StorageResult<void> appendBatchInTransaction(
        std::vector<EntryRecord>& entries, std::vector<AppendOutcome>& outcomes);
    StorageResult<std::optional<ConversationRecord>> loadConversation(const std::string& conversationId);

    sqlite3* db_ = nullptr;
    std::string path_;
    bool synchronousFull_ = true;
    int walFd_ = -1; // the WAL file, for fdatasync from the commit thread
    // Keyed by the SQL text's address: every call site passes a literal.
    std::unordered_map<const char*, std::unique_ptr<SqliteStatement>> statements_;
    std::unordered_map<std::string, std::vector<DeviceRecord>> deviceCache_;
    std::unordered_map<std::string, std::vector<MemberRecord>> memberCache_;
    std::unordered_map<std::string, ConversationRecord> conversationCache_;
};

} // namespace tenchat::relay
