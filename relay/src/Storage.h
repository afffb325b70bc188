// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The relay's persistence boundary. SqliteStorage is the embedded default; a
// PostgreSQL backend implements the same interface. Every method is one
// transaction: it either applies completely or changes nothing.

#include "StorageTypes.h"

#include <functional>
#include <map>

namespace tenchat::relay {

class Storage {
public:
    virtual ~Storage() = default;

    // Accounts and devices.
    virtual StorageResult<void> createAccount(const std::string& handle, const DeviceRecord& firstDevice) = 0;
    virtual StorageResult<std::optional<std::string>> userByHandle(const std::string& handle) = 0;
    virtual StorageResult<std::optional<std::string>> handleOf(const std::string& userId) = 0;
    // Assigns the next device id of the user; returns it.
    virtual StorageResult<std::uint32_t> addDevice(const DeviceRecord& device) = 0;
    virtual StorageResult<std::vector<DeviceRecord>> devices(const std::string& userId) = 0;
    virtual StorageResult<void> revokeDevice(const std::string& userId, std::uint32_t deviceId, std::uint64_t nowMs)
        = 0;

    // Pre-keys.
    virtual StorageResult<std::uint32_t> uploadPreKeys(const std::string& userId, std::uint32_t deviceId,
        const std::optional<SignedPreKeyRecord>& signedPreKey, const std::vector<OneTimePreKeyRecord>& oneTime,
        bool replaceOneTime)
        = 0;
    virtual StorageResult<std::uint32_t> oneTimePreKeyCount(const std::string& userId, std::uint32_t deviceId) = 0;
    virtual StorageResult<bool> hasSignedPreKey(const std::string& userId, std::uint32_t deviceId) = 0;
    // Returns the bundle and removes the one-time pre-key it hands out, atomically.
    virtual StorageResult<BundleRecord> takeBundle(const DeviceRecord& device) = 0;

    // Conversations. The membership entry (seq assigned) is written in the
    // same transaction as the membership change.
    virtual StorageResult<void> createConversation(
        const ConversationRecord& conversation, const std::vector<MemberRecord>& members, EntryRecord& createdEntry)
        = 0;
    virtual StorageResult<std::optional<std::string>> directConversation(const std::string& directKey) = 0;
    virtual StorageResult<std::optional<ConversationRecord>> conversation(const std::string& conversationId) = 0;
    virtual StorageResult<std::vector<MemberRecord>> members(const std::string& conversationId) = 0;
    virtual StorageResult<std::vector<std::string>> conversationsOf(const std::string& userId) = 0;
    // Upserts (joinedSeq set to the entry's seq for new members) and removals.
    virtual StorageResult<void> changeMembers(const std::string& conversationId,
        const std::vector<MemberRecord>& upserts, const std::vector<std::string>& removals,
        EntryRecord& membershipEntry)
        = 0;

    // Conversation logs. One transaction for the whole batch (group commit);
    // outcomes[i] answers entries[i]. Idempotent per (conversation, message id).
    // With deferDurability the commit may return before it is on stable
    // storage; the caller then runs deferredSyncer() before acknowledging.
    virtual StorageResult<void> appendBatch(
        std::vector<EntryRecord>& entries, std::vector<AppendOutcome>& outcomes, bool deferDurability)
        = 0;
    // A callable, safe to run on another thread, that makes every commit made
    // so far durable (returns false on I/O error). Empty when the backend
    // cannot defer durability; appendBatch is then always durable.
    virtual std::function<bool()> deferredSyncer() = 0;
    // Entries with seq > afterSeq (and >= minSeq), ascending, unexpired at nowMs.
    virtual StorageResult<std::vector<EntryRecord>> entriesAfter(const std::string& conversationId,
        std::uint64_t afterSeq, std::uint64_t minSeq, std::uint32_t limit, std::uint64_t nowMs)
        = 0;
    // Entries with seq < beforeSeq (0 = newest) and >= minSeq, descending.
    virtual StorageResult<std::vector<EntryRecord>> entriesBefore(const std::string& conversationId,
        std::uint64_t beforeSeq, std::uint64_t minSeq, std::uint32_t limit, std::uint64_t nowMs)
        = 0;

    // Per-device cursors (the highest acknowledged seq per conversation).
    virtual StorageResult<std::map<std::string, std::uint64_t>> cursors(
        const std::string& userId, std::uint32_t deviceId)
        = 0;
    virtual StorageResult<void> saveCursors(const std::vector<CursorRecord>& cursors) = 0;

    // To-device queues. Assigns ids; a (sender, message id, recipient) already
    // queued is skipped and reported through `duplicate`.
    virtual StorageResult<void> enqueueToDevice(std::vector<ToDeviceRecord>& messages, bool& duplicate) = 0;
    virtual StorageResult<std::vector<ToDeviceRecord>> pendingToDevice(
        const std::string& userId, std::uint32_t deviceId, std::uint32_t limit)
        = 0;
    virtual StorageResult<void> deleteToDevice(
        const std::string& userId, std::uint32_t deviceId, const std::vector<std::uint64_t>& ids)
        = 0;

    // Retention: drops entries past their TTL and, when maxRetentionMs > 0,
    // entries older than that. Returns the number of entries removed.
    virtual StorageResult<std::uint64_t> purgeExpired(std::uint64_t nowMs, std::uint64_t maxRetentionMs) = 0;
};

} // namespace tenchat::relay
