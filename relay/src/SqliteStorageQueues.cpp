// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStorage, continued: per-device cursors, to-device queues, retention.
#include "SqliteStorage.h"

#include "SqliteTransaction.h"

namespace tenchat::relay {

StorageResult<std::map<std::string, std::uint64_t>> SqliteStorage::cursors(
    const std::string& userId, std::uint32_t deviceId)
{
    auto& s = statement("SELECT conversation_id, acked_seq FROM cursors WHERE user_id = ?1 AND device_id = ?2");
    s.bind(1, userId).bind(2, deviceId);
    std::map<std::string, std::uint64_t> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out[s.blob(0)] = static_cast<std::uint64_t>(s.integer(1));
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("cursors"));
    return out;
}

StorageResult<void> SqliteStorage::saveCursors(const std::vector<CursorRecord>& cursors)
{
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    for (const auto& c : cursors) {
        // No UPSERT on SQLite 3.15: insert-or-ignore, then raise monotonically.
        auto& ins = statement("INSERT OR IGNORE INTO cursors(user_id, device_id, conversation_id, acked_seq) "
                              "VALUES(?1, ?2, ?3, ?4)");
        ins.bind(1, c.userId).bind(2, c.deviceId).bind(3, c.conversationId).bind(4, i64(c.ackedSeq));
        if (ins.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("insert cursor"));
        auto& upd = statement("UPDATE cursors SET acked_seq = ?4 WHERE user_id = ?1 AND device_id = ?2 AND "
                              "conversation_id = ?3 AND acked_seq < ?4");
        upd.bind(1, c.userId).bind(2, c.deviceId).bind(3, c.conversationId).bind(4, i64(c.ackedSeq));
        if (upd.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("update cursor"));
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    return {};
}

StorageResult<void> SqliteStorage::enqueueToDevice(std::vector<ToDeviceRecord>& messages, bool& duplicate)
{
    duplicate = false;
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    for (auto& m : messages) {
        auto& ins = statement("INSERT OR IGNORE INTO to_device(user_id, device_id, sender_user, sender_device, "
                              "message_id, type, ciphertext, server_ms, delivery_class) "
                              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        ins.bind(1, m.recipientUser)
            .bind(2, m.recipientDevice)
            .bind(3, m.senderUser)
            .bind(4, m.senderDevice)
            .bind(5, m.messageId)
            .bind(6, m.type)
            .bind(7, m.ciphertext)
            .bind(8, i64(m.serverMs))
            .bind(9, m.deliveryClass);
        if (ins.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("enqueue to-device"));
        if (sqlite3_changes(db_) == 0) {
            duplicate = true;
            m.id = 0; // already queued (or delivered and acked): not pushed again
        } else {
            m.id = static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_));
        }
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    return {};
}

StorageResult<std::vector<ToDeviceRecord>> SqliteStorage::pendingToDevice(
    const std::string& userId, std::uint32_t deviceId, std::uint32_t limit)
{
    auto& s = statement("SELECT id, sender_user, sender_device, message_id, type, ciphertext, server_ms, "
                        "delivery_class FROM to_device WHERE user_id = ?1 AND device_id = ?2 ORDER BY id LIMIT ?3");
    s.bind(1, userId).bind(2, deviceId).bind(3, limit);
    std::vector<ToDeviceRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        ToDeviceRecord m;
        m.id = static_cast<std::uint64_t>(s.integer(0));
        m.recipientUser = userId;
        m.recipientDevice = deviceId;
        m.senderUser = s.blob(1);
        m.senderDevice = static_cast<std::uint32_t>(s.integer(2));
        m.messageId = s.blob(3);
        m.type = static_cast<std::uint32_t>(s.integer(4));
        m.ciphertext = s.blob(5);
        m.serverMs = static_cast<std::uint64_t>(s.integer(6));
        m.deliveryClass = static_cast<int>(s.integer(7));
        out.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("pending to-device"));
    return out;
}

StorageResult<void> SqliteStorage::deleteToDevice(
    const std::string& userId, std::uint32_t deviceId, const std::vector<std::uint64_t>& ids)
{
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    for (const auto id : ids) {
        // Scoped to the recipient: a device can only delete its own queue.
        auto& del = statement("DELETE FROM to_device WHERE id = ?1 AND user_id = ?2 AND device_id = ?3");
        del.bind(1, i64(id)).bind(2, userId).bind(3, deviceId);
        if (del.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("delete to-device"));
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    return {};
}

StorageResult<std::uint64_t> SqliteStorage::purgeExpired(std::uint64_t nowMs, std::uint64_t maxRetentionMs)
{
    std::uint64_t removed = 0;
    auto& ttl = statement("DELETE FROM entries WHERE expires_ms > 0 AND expires_ms <= ?1");
    ttl.bind(1, i64(nowMs));
    if (ttl.step() != SQLITE_DONE)
        return Unexpected<StorageError>(failure("purge expired"));
    removed += static_cast<std::uint64_t>(sqlite3_changes(db_));
    if (maxRetentionMs > 0 && nowMs > maxRetentionMs) {
        // Rowids grow with insertion time: everything before the oldest
        // entry that is still young enough goes. Never deletes an entry
        // newer than the cutoff; after a backward clock step some old
        // entries may stay one purge longer. Needs no index on server_ms.
        auto& old = statement("DELETE FROM entries WHERE id < COALESCE((SELECT id FROM entries "
                              "WHERE server_ms >= ?1 ORDER BY id LIMIT 1), 9223372036854775807)");
        old.bind(1, i64(nowMs - maxRetentionMs));
        if (old.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("purge old"));
        removed += static_cast<std::uint64_t>(sqlite3_changes(db_));
    }
    return removed;
}

} // namespace tenchat::relay
