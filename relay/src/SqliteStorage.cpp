// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteStorage.h"

#include "SqliteTransaction.h"

#include <algorithm>
#include <fcntl.h>
#include <limits>
#include <unistd.h>

namespace tenchat::relay {

namespace {

constexpr int kSchemaVersion = 1;

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users(
  id BLOB PRIMARY KEY, handle TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devices(
  user_id BLOB NOT NULL, device_id INTEGER NOT NULL, identity_key BLOB NOT NULL,
  registration_id INTEGER NOT NULL, name TEXT NOT NULL, created_ms INTEGER NOT NULL,
  revoked_ms INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(user_id, device_id));
CREATE TABLE IF NOT EXISTS signed_prekeys(
  user_id BLOB NOT NULL, device_id INTEGER NOT NULL, key_id INTEGER NOT NULL,
  public_key BLOB NOT NULL, signature BLOB NOT NULL, timestamp_ms INTEGER NOT NULL,
  PRIMARY KEY(user_id, device_id));
CREATE TABLE IF NOT EXISTS onetime_prekeys(
  user_id BLOB NOT NULL, device_id INTEGER NOT NULL, key_id INTEGER NOT NULL,
  public_key BLOB NOT NULL, PRIMARY KEY(user_id, device_id, key_id));
CREATE TABLE IF NOT EXISTS conversations(
  id BLOB PRIMARY KEY, kind INTEGER NOT NULL, ttl_s INTEGER NOT NULL, last_seq INTEGER NOT NULL,
  created_ms INTEGER NOT NULL, direct_key BLOB UNIQUE);
CREATE TABLE IF NOT EXISTS members(
  conversation_id BLOB NOT NULL, user_id BLOB NOT NULL, role INTEGER NOT NULL,
  joined_seq INTEGER NOT NULL, PRIMARY KEY(conversation_id, user_id));
CREATE INDEX IF NOT EXISTS members_by_user ON members(user_id);
CREATE TABLE IF NOT EXISTS entries(
  id INTEGER PRIMARY KEY,
  conversation_id BLOB NOT NULL, seq INTEGER NOT NULL, message_id BLOB NOT NULL,
  sender_user BLOB NOT NULL, sender_device INTEGER NOT NULL, server_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL, body_kind INTEGER NOT NULL, body BLOB NOT NULL,
  delivery_class INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_seq ON entries(conversation_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_message ON entries(conversation_id, message_id);
CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries(expires_ms) WHERE expires_ms > 0;
-- entries_by_time (server_ms) was dropped: maximum retention walks the
-- rowid order instead (see purgeExpired), one B-tree less per append.
DROP INDEX IF EXISTS entries_by_time;
CREATE TABLE IF NOT EXISTS cursors(
  user_id BLOB NOT NULL, device_id INTEGER NOT NULL, conversation_id BLOB NOT NULL,
  acked_seq INTEGER NOT NULL, PRIMARY KEY(user_id, device_id, conversation_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS to_device(
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BLOB NOT NULL, device_id INTEGER NOT NULL,
  sender_user BLOB NOT NULL, sender_device INTEGER NOT NULL, message_id BLOB NOT NULL,
  type INTEGER NOT NULL, ciphertext BLOB NOT NULL, server_ms INTEGER NOT NULL,
  delivery_class INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS to_device_by_recipient ON to_device(user_id, device_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS to_device_dedupe
  ON to_device(sender_user, sender_device, message_id, user_id, device_id);
)sql";

EntryRecord readEntry(const SqliteStatement& s)
{
    EntryRecord e;
    e.conversationId = s.blob(0);
    e.seq = static_cast<std::uint64_t>(s.integer(1));
    e.messageId = s.blob(2);
    e.senderUser = s.blob(3);
    e.senderDevice = static_cast<std::uint32_t>(s.integer(4));
    e.serverMs = static_cast<std::uint64_t>(s.integer(5));
    e.expiresMs = static_cast<std::uint64_t>(s.integer(6));
    e.bodyKind = static_cast<EntryBodyKind>(s.integer(7));
    e.body = s.blob(8);
    e.deliveryClass = static_cast<int>(s.integer(9));
    return e;
}

} // namespace

StorageResult<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::string& path, bool synchronousFull)
{
    // Memory statistics take a global mutex around every SQLite allocation;
    // the relay never reads them. Only effective before the library is
    // initialised (the first open); later calls are refused harmlessly.
    static const bool memstatusOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)memstatusOff;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return storageError(StorageErrorCode::Failure, "cannot open " + path + ": " + message);
    }
    std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db, path, synchronousFull));
    if (!storage->exec("PRAGMA journal_mode=WAL") || !storage->exec("PRAGMA foreign_keys=OFF")
        || !storage->exec(synchronousFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
        || !storage->exec("PRAGMA busy_timeout=5000")
        // A 32 MiB page cache and ~32 MiB of WAL between checkpoints: hot
        // index pages are then written to the database once per checkpoint
        // rather than re-read and re-written every few hundred appends.
        || !storage->exec("PRAGMA cache_size=-32768") || !storage->exec("PRAGMA wal_autocheckpoint=8192"))
        return storageError(StorageErrorCode::Failure, "cannot configure " + path + ": " + sqlite3_errmsg(db));
    if (auto migrated = storage->migrate(); !migrated)
        return Unexpected<StorageError>(migrated.error());
    return storage;
}

SqliteStorage::SqliteStorage(sqlite3* db, std::string path, bool synchronousFull)
    : db_(db), path_(std::move(path)), synchronousFull_(synchronousFull)
{ }

SqliteStorage::~SqliteStorage()
{
    statements_.clear();
    sqlite3_close(db_);
    if (walFd_ >= 0)
        ::close(walFd_);
}

std::function<bool()> SqliteStorage::deferredSyncer()
{
    // Only worth it when every commit would otherwise fsync.
    if (!synchronousFull_)
        return {};
    if (walFd_ < 0)
        walFd_ = ::open((path_ + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
    if (walFd_ < 0)
        return {};
    const int fd = walFd_;
    // fdatasync flushes the file, whichever descriptor wrote it.
    return [fd] { return ::fdatasync(fd) == 0; };
}

bool SqliteStorage::exec(const char* sql)
{
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

StorageError SqliteStorage::failure(const char* what) const
{
    return StorageError { StorageErrorCode::Failure, std::string(what) + ": " + sqlite3_errmsg(db_) };
}

SqliteStatement& SqliteStorage::statement(const char* sql)
{
    auto& slot = statements_[sql];
    if (!slot)
        slot = std::make_unique<SqliteStatement>(db_, sql);
    return slot->reset();
}

StorageResult<void> SqliteStorage::migrate()
{
    int current = 0;
    {
        // Finalized before the migration: DROP INDEX fails while any
        // statement of the connection is still active.
        SqliteStatement version(db_, "PRAGMA user_version");
        current = version.step() == SQLITE_ROW ? static_cast<int>(version.integer(0)) : 0;
    }
    if (current > kSchemaVersion)
        return storageError(StorageErrorCode::Failure, "the data directory was written by a newer relay");
    // Forward-only migrations; version 1 is the initial schema.
    if (!exec("BEGIN IMMEDIATE") || !exec(kSchema) || !exec("PRAGMA user_version=1") || !exec("COMMIT")) {
        exec("ROLLBACK");
        return Unexpected<StorageError>(failure("migration"));
    }
    return {};
}

StorageResult<void> SqliteStorage::createAccount(const std::string& handle, const DeviceRecord& firstDevice)
{
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    auto& user = statement("INSERT INTO users(id, handle, created_ms) VALUES(?1, ?2, ?3)");
    user.bind(1, firstDevice.userId).bindText(2, handle).bind(3, i64(firstDevice.createdMs));
    const int rc = user.step();
    if (rc == SQLITE_CONSTRAINT)
        return storageError(StorageErrorCode::Conflict, "handle already taken");
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("insert user"));
    auto& device = statement("INSERT INTO devices(user_id, device_id, identity_key, registration_id, name, "
                             "created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    device.bind(1, firstDevice.userId)
        .bind(2, firstDevice.deviceId)
        .bind(3, firstDevice.identityKey)
        .bind(4, firstDevice.registrationId)
        .bindText(5, firstDevice.name)
        .bind(6, i64(firstDevice.createdMs));
    if (device.step() != SQLITE_DONE || !tx.commit())
        return Unexpected<StorageError>(failure("insert device"));
    deviceCache_.erase(firstDevice.userId);
    return {};
}

StorageResult<std::optional<std::string>> SqliteStorage::userByHandle(const std::string& handle)
{
    auto& s = statement("SELECT id FROM users WHERE handle = ?1");
    s.bindText(1, handle);
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        return std::optional<std::string>(s.blob(0));
    if (rc == SQLITE_DONE)
        return std::optional<std::string>();
    return Unexpected<StorageError>(failure("lookup handle"));
}

StorageResult<std::optional<std::string>> SqliteStorage::handleOf(const std::string& userId)
{
    auto& s = statement("SELECT handle FROM users WHERE id = ?1");
    s.bind(1, userId);
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        return std::optional<std::string>(s.blob(0));
    if (rc == SQLITE_DONE)
        return std::optional<std::string>();
    return Unexpected<StorageError>(failure("lookup user"));
}

StorageResult<std::uint32_t> SqliteStorage::addDevice(const DeviceRecord& device)
{
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    auto& next = statement("SELECT COALESCE(MAX(device_id), 0) + 1 FROM devices WHERE user_id = ?1");
    next.bind(1, device.userId);
    if (next.step() != SQLITE_ROW)
        return Unexpected<StorageError>(failure("next device id"));
    const auto deviceId = static_cast<std::uint32_t>(next.integer(0));
    auto& insert = statement("INSERT INTO devices(user_id, device_id, identity_key, registration_id, name, "
                             "created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    insert.bind(1, device.userId)
        .bind(2, deviceId)
        .bind(3, device.identityKey)
        .bind(4, device.registrationId)
        .bindText(5, device.name)
        .bind(6, i64(device.createdMs));
    if (insert.step() != SQLITE_DONE || !tx.commit())
        return Unexpected<StorageError>(failure("insert device"));
    deviceCache_.erase(device.userId);
    return deviceId;
}

StorageResult<std::vector<DeviceRecord>> SqliteStorage::devices(const std::string& userId)
{
    if (auto it = deviceCache_.find(userId); it != deviceCache_.end())
        return it->second;
    auto& s = statement("SELECT device_id, identity_key, registration_id, name, created_ms, revoked_ms "
                        "FROM devices WHERE user_id = ?1 ORDER BY device_id");
    s.bind(1, userId);
    std::vector<DeviceRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        DeviceRecord d;
        d.userId = userId;
        d.deviceId = static_cast<std::uint32_t>(s.integer(0));
        d.identityKey = s.blob(1);
        d.registrationId = static_cast<std::uint32_t>(s.integer(2));
        d.name = s.blob(3);
        d.createdMs = static_cast<std::uint64_t>(s.integer(4));
        d.revokedMs = static_cast<std::uint64_t>(s.integer(5));
        out.push_back(std::move(d));
    }
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("list devices"));
    if (deviceCache_.size() > 100000)
        deviceCache_.clear();
    deviceCache_[userId] = out;
    return out;
}

StorageResult<void> SqliteStorage::revokeDevice(const std::string& userId, std::uint32_t deviceId, std::uint64_t nowMs)
{
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    auto& s = statement("UPDATE devices SET revoked_ms = ?3 WHERE user_id = ?1 AND device_id = ?2 AND revoked_ms = 0");
    s.bind(1, userId).bind(2, deviceId).bind(3, i64(nowMs));
    if (s.step() != SQLITE_DONE)
        return Unexpected<StorageError>(failure("revoke device"));
    if (sqlite3_changes(db_) == 0)
        return storageError(StorageErrorCode::NotFound, "no such active device");
    // A revoked device keeps nothing queued and hands out no more bundles.
    for (const char* sql : { "DELETE FROM onetime_prekeys WHERE user_id = ?1 AND device_id = ?2",
             "DELETE FROM signed_prekeys WHERE user_id = ?1 AND device_id = ?2",
             "DELETE FROM to_device WHERE user_id = ?1 AND device_id = ?2",
             "DELETE FROM cursors WHERE user_id = ?1 AND device_id = ?2" }) {
        auto& d = statement(sql);
        d.bind(1, userId).bind(2, deviceId);
        if (d.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("revoke device"));
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    deviceCache_.erase(userId);
    return {};
}

StorageResult<std::uint32_t> SqliteStorage::uploadPreKeys(const std::string& userId, std::uint32_t deviceId,
    const std::optional<SignedPreKeyRecord>& signedPreKey, const std::vector<OneTimePreKeyRecord>& oneTime,
    bool replaceOneTime)
{
    {
        SqliteTransaction tx(db_);
        if (!tx.begun())
            return Unexpected<StorageError>(failure("begin"));
        if (signedPreKey) {
            auto& del = statement("DELETE FROM signed_prekeys WHERE user_id = ?1 AND device_id = ?2");
            del.bind(1, userId).bind(2, deviceId);
            auto& ins = statement("INSERT INTO signed_prekeys(user_id, device_id, key_id, public_key, signature, "
                                  "timestamp_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
            if (del.step() != SQLITE_DONE)
                return Unexpected<StorageError>(failure("replace signed pre-key"));
            ins.bind(1, userId)
                .bind(2, deviceId)
                .bind(3, signedPreKey->keyId)
                .bind(4, signedPreKey->publicKey)
                .bind(5, signedPreKey->signature)
                .bind(6, i64(signedPreKey->timestampMs));
            if (ins.step() != SQLITE_DONE)
                return Unexpected<StorageError>(failure("insert signed pre-key"));
        }
        if (replaceOneTime) {
            auto& del = statement("DELETE FROM onetime_prekeys WHERE user_id = ?1 AND device_id = ?2");
            del.bind(1, userId).bind(2, deviceId);
            if (del.step() != SQLITE_DONE)
                return Unexpected<StorageError>(failure("replace one-time pre-keys"));
        }
        for (const auto& key : oneTime) {
            auto& ins = statement("INSERT OR IGNORE INTO onetime_prekeys(user_id, device_id, key_id, public_key) "
                                  "VALUES(?1, ?2, ?3, ?4)");
            ins.bind(1, userId).bind(2, deviceId).bind(3, key.keyId).bind(4, key.publicKey);
            if (ins.step() != SQLITE_DONE)
                return Unexpected<StorageError>(failure("insert one-time pre-key"));
        }
        if (!tx.commit())
            return Unexpected<StorageError>(failure("commit"));
    }
    return oneTimePreKeyCount(userId, deviceId);
}

StorageResult<std::uint32_t> SqliteStorage::oneTimePreKeyCount(const std::string& userId, std::uint32_t deviceId)
{
    auto& s = statement("SELECT COUNT(*) FROM onetime_prekeys WHERE user_id = ?1 AND device_id = ?2");
    s.bind(1, userId).bind(2, deviceId);
    if (s.step() != SQLITE_ROW)
        return Unexpected<StorageError>(failure("count pre-keys"));
    return static_cast<std::uint32_t>(s.integer(0));
}

StorageResult<bool> SqliteStorage::hasSignedPreKey(const std::string& userId, std::uint32_t deviceId)
{
    auto& s = statement("SELECT 1 FROM signed_prekeys WHERE user_id = ?1 AND device_id = ?2");
    s.bind(1, userId).bind(2, deviceId);
    const int rc = s.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("signed pre-key"));
    return rc == SQLITE_ROW;
}

StorageResult<BundleRecord> SqliteStorage::takeBundle(const DeviceRecord& device)
{
    BundleRecord bundle;
    bundle.device = device;
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    auto& spk = statement("SELECT key_id, public_key, signature, timestamp_ms FROM signed_prekeys "
                          "WHERE user_id = ?1 AND device_id = ?2");
    spk.bind(1, device.userId).bind(2, device.deviceId);
    if (spk.step() == SQLITE_ROW)
        bundle.signedPreKey = SignedPreKeyRecord { static_cast<std::uint32_t>(spk.integer(0)), spk.blob(1), spk.blob(2),
            static_cast<std::uint64_t>(spk.integer(3)) };
    auto& otk = statement("SELECT key_id, public_key FROM onetime_prekeys WHERE user_id = ?1 AND device_id = ?2 "
                          "ORDER BY key_id LIMIT 1");
    otk.bind(1, device.userId).bind(2, device.deviceId);
    if (otk.step() == SQLITE_ROW) {
        bundle.oneTimePreKey = OneTimePreKeyRecord { static_cast<std::uint32_t>(otk.integer(0)), otk.blob(1) };
        auto& del = statement("DELETE FROM onetime_prekeys WHERE user_id = ?1 AND device_id = ?2 AND key_id = ?3");
        del.bind(1, device.userId).bind(2, device.deviceId).bind(3, bundle.oneTimePreKey->keyId);
        if (del.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("consume pre-key"));
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    return bundle;
}

bool SqliteStorage::insertEntry(EntryRecord& entry, ConversationRecord& conversation)
{
    entry.seq = conversation.lastSeq + 1;
    auto& ins = statement("INSERT INTO entries(conversation_id, seq, message_id, sender_user, sender_device, "
                          "server_ms, expires_ms, body_kind, body, delivery_class) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    ins.bind(1, entry.conversationId)
        .bind(2, i64(entry.seq))
        .bind(3, entry.messageId)
        .bind(4, entry.senderUser)
        .bind(5, entry.senderDevice)
        .bind(6, i64(entry.serverMs))
        .bind(7, i64(entry.expiresMs))
        .bind(8, static_cast<int>(entry.bodyKind))
        .bindStatic(9, entry.body) // `entry` outlives the step below
        .bind(10, entry.deliveryClass);
    if (ins.step() != SQLITE_DONE)
        return false;
    conversation.lastSeq = entry.seq;
    return true;
}

bool SqliteStorage::storeLastSeq(const ConversationRecord& conversation)
{
    auto& upd = statement("UPDATE conversations SET last_seq = ?2 WHERE id = ?1");
    upd.bind(1, conversation.id).bind(2, i64(conversation.lastSeq));
    return upd.step() == SQLITE_DONE;
}

StorageResult<void> SqliteStorage::createConversation(
    const ConversationRecord& conversation, const std::vector<MemberRecord>& members, EntryRecord& createdEntry)
{
    ConversationRecord record = conversation;
    record.lastSeq = 0;
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    auto& ins = statement("INSERT INTO conversations(id, kind, ttl_s, last_seq, created_ms, direct_key) "
                          "VALUES(?1, ?2, ?3, 0, ?4, ?5)");
    ins.bind(1, record.id).bind(2, record.kind).bind(3, record.ttlSeconds).bind(4, i64(record.createdMs));
    if (record.directKey.empty())
        ins.bindNull(5);
    else
        ins.bind(5, record.directKey);
    const int rc = ins.step();
    if (rc == SQLITE_CONSTRAINT)
        return storageError(StorageErrorCode::Conflict, "conversation exists");
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("insert conversation"));
    std::vector<MemberRecord> stored = members;
    for (auto& m : stored) {
        m.joinedSeq = 1;
        auto& mem = statement("INSERT INTO members(conversation_id, user_id, role, joined_seq) VALUES(?1, ?2, ?3, 1)");
        mem.bind(1, record.id).bind(2, m.userId).bind(3, m.role);
        if (mem.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("insert member"));
    }
    createdEntry.conversationId = record.id;
    if (!insertEntry(createdEntry, record) || !storeLastSeq(record) || !tx.commit())
        return Unexpected<StorageError>(failure("insert created entry"));
    conversationCache_[record.id] = record;
    memberCache_[record.id] = std::move(stored);
    return {};
}

StorageResult<std::optional<std::string>> SqliteStorage::directConversation(const std::string& directKey)
{
    auto& s = statement("SELECT id FROM conversations WHERE direct_key = ?1");
    s.bind(1, directKey);
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        return std::optional<std::string>(s.blob(0));
    if (rc == SQLITE_DONE)
        return std::optional<std::string>();
    return Unexpected<StorageError>(failure("direct conversation"));
}

StorageResult<std::optional<ConversationRecord>> SqliteStorage::loadConversation(const std::string& conversationId)
{
    if (auto it = conversationCache_.find(conversationId); it != conversationCache_.end())
        return std::optional<ConversationRecord>(it->second);
    auto& s = statement("SELECT kind, ttl_s, last_seq, created_ms, direct_key FROM conversations WHERE id = ?1");
    s.bind(1, conversationId);
    const int rc = s.step();
    if (rc == SQLITE_DONE)
        return std::optional<ConversationRecord>();
    if (rc != SQLITE_ROW)
        return Unexpected<StorageError>(failure("conversation"));
    ConversationRecord c;
    c.id = conversationId;
    c.kind = static_cast<int>(s.integer(0));
    c.ttlSeconds = static_cast<std::uint32_t>(s.integer(1));
    c.lastSeq = static_cast<std::uint64_t>(s.integer(2));
    c.createdMs = static_cast<std::uint64_t>(s.integer(3));
    c.directKey = s.blob(4);
    if (conversationCache_.size() > 100000)
        conversationCache_.clear();
    conversationCache_[conversationId] = c;
    return std::optional<ConversationRecord>(c);
}

StorageResult<std::optional<ConversationRecord>> SqliteStorage::conversation(const std::string& conversationId)
{
    return loadConversation(conversationId);
}

StorageResult<std::vector<MemberRecord>> SqliteStorage::members(const std::string& conversationId)
{
    if (auto it = memberCache_.find(conversationId); it != memberCache_.end())
        return it->second;
    auto& s = statement("SELECT user_id, role, joined_seq FROM members WHERE conversation_id = ?1 ORDER BY user_id");
    s.bind(1, conversationId);
    std::vector<MemberRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back({ s.blob(0), static_cast<int>(s.integer(1)), static_cast<std::uint64_t>(s.integer(2)) });
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("members"));
    if (memberCache_.size() > 100000)
        memberCache_.clear();
    memberCache_[conversationId] = out;
    return out;
}

StorageResult<std::vector<std::string>> SqliteStorage::conversationsOf(const std::string& userId)
{
    auto& s = statement("SELECT conversation_id FROM members WHERE user_id = ?1");
    s.bind(1, userId);
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(s.blob(0));
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("conversations of user"));
    return out;
}

StorageResult<void> SqliteStorage::changeMembers(const std::string& conversationId,
    const std::vector<MemberRecord>& upserts, const std::vector<std::string>& removals, EntryRecord& membershipEntry)
{
    auto loaded = loadConversation(conversationId);
    if (!loaded)
        return Unexpected<StorageError>(loaded.error());
    if (!loaded.value())
        return storageError(StorageErrorCode::NotFound, "no such conversation");
    ConversationRecord record = *loaded.value();
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    membershipEntry.conversationId = conversationId;
    if (!insertEntry(membershipEntry, record) || !storeLastSeq(record))
        return Unexpected<StorageError>(failure("membership entry"));
    for (const auto& m : upserts) {
        // New members read from the membership entry on; existing keep theirs.
        auto& upd = statement("UPDATE members SET role = ?3 WHERE conversation_id = ?1 AND user_id = ?2");
        upd.bind(1, conversationId).bind(2, m.userId).bind(3, m.role);
        if (upd.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("update member"));
        if (sqlite3_changes(db_) == 0) {
            auto& ins
                = statement("INSERT INTO members(conversation_id, user_id, role, joined_seq) VALUES(?1, ?2, ?3, ?4)");
            ins.bind(1, conversationId).bind(2, m.userId).bind(3, m.role).bind(4, i64(membershipEntry.seq));
            if (ins.step() != SQLITE_DONE)
                return Unexpected<StorageError>(failure("insert member"));
        }
    }
    for (const auto& userId : removals) {
        auto& del = statement("DELETE FROM members WHERE conversation_id = ?1 AND user_id = ?2");
        del.bind(1, conversationId).bind(2, userId);
        if (del.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("remove member"));
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    conversationCache_[conversationId] = record;
    memberCache_.erase(conversationId);
    return {};
}

StorageResult<void> SqliteStorage::appendBatch(
    std::vector<EntryRecord>& entries, std::vector<AppendOutcome>& outcomes, bool deferDurability)
{
    // WAL with synchronous=NORMAL writes the commit without fsync; the caller
    // syncs the WAL on its commit thread before acknowledging.
    const bool relaxed = deferDurability && synchronousFull_;
    if (relaxed)
        exec("PRAGMA synchronous=NORMAL");
    auto result = appendBatchInTransaction(entries, outcomes);
    if (relaxed)
        exec("PRAGMA synchronous=FULL");
    return result;
}

StorageResult<void> SqliteStorage::appendBatchInTransaction(
    std::vector<EntryRecord>& entries, std::vector<AppendOutcome>& outcomes)
{
    outcomes.assign(entries.size(), AppendOutcome {});
    std::unordered_map<std::string, ConversationRecord> touched;
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("begin"));
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto& entry = entries[i];
        auto& outcome = outcomes[i];
        auto it = touched.find(entry.conversationId);
        if (it == touched.end()) {
            auto loaded = loadConversation(entry.conversationId);
            if (!loaded || !loaded.value()) {
                outcome.failed = true;
                outcome.error = "no such conversation";
                continue;
            }
            it = touched.emplace(entry.conversationId, *loaded.value()).first;
        }
        if (!insertEntry(entry, it->second)) {
            // The unique (conversation, message id) index refused it: a retry
            // of an entry that is already stored. Answer with the original.
            const int code = sqlite3_extended_errcode(db_);
            auto& dup = statement("SELECT seq, server_ms FROM entries WHERE conversation_id = ?1 AND message_id = ?2");
            dup.bind(1, entry.conversationId).bind(2, entry.messageId);
            if (code != SQLITE_CONSTRAINT_UNIQUE || dup.step() != SQLITE_ROW)
                return Unexpected<StorageError>(failure("append"));
            outcome.seq = static_cast<std::uint64_t>(dup.integer(0));
            outcome.serverMs = static_cast<std::uint64_t>(dup.integer(1));
            outcome.duplicate = true;
            entry.seq = outcome.seq;
            continue;
        }
        outcome.seq = entry.seq;
        outcome.serverMs = entry.serverMs;
    }
    for (const auto& [id, record] : touched)
        if (!storeLastSeq(record))
            return Unexpected<StorageError>(failure("append"));
    if (!tx.commit())
        return Unexpected<StorageError>(failure("commit"));
    for (auto& [id, record] : touched)
        conversationCache_[id] = record;
    return {};
}

StorageResult<std::vector<EntryRecord>> SqliteStorage::entriesAfter(const std::string& conversationId,
    std::uint64_t afterSeq, std::uint64_t minSeq, std::uint32_t limit, std::uint64_t nowMs)
{
    auto& s = statement("SELECT conversation_id, seq, message_id, sender_user, sender_device, server_ms, expires_ms, "
                        "body_kind, body, delivery_class FROM entries WHERE conversation_id = ?1 AND seq > ?2 "
                        "AND seq >= ?3 AND (expires_ms = 0 OR expires_ms > ?4) ORDER BY seq LIMIT ?5");
    s.bind(1, conversationId).bind(2, i64(afterSeq)).bind(3, i64(minSeq)).bind(4, i64(nowMs)).bind(5, limit);
    std::vector<EntryRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(readEntry(s));
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("entries after"));
    return out;
}

StorageResult<std::vector<EntryRecord>> SqliteStorage::entriesBefore(const std::string& conversationId,
    std::uint64_t beforeSeq, std::uint64_t minSeq, std::uint32_t limit, std::uint64_t nowMs)
{
    auto& s = statement("SELECT conversation_id, seq, message_id, sender_user, sender_device, server_ms, expires_ms, "
                        "body_kind, body, delivery_class FROM entries WHERE conversation_id = ?1 AND seq < ?2 "
                        "AND seq >= ?3 AND (expires_ms = 0 OR expires_ms > ?4) ORDER BY seq DESC LIMIT ?5");
    const auto before = beforeSeq == 0 ? std::numeric_limits<std::int64_t>::max() : i64(beforeSeq);
    s.bind(1, conversationId).bind(2, before).bind(3, i64(minSeq)).bind(4, i64(nowMs)).bind(5, limit);
    std::vector<EntryRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(readEntry(s));
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("entries before"));
    return out;
}

} // namespace tenchat::relay
