// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/SqlProtocolStore.h"

#include "tenchat/core/store/Database.h"

#include <QDateTime>

#include <sodium.h>

namespace tenchat::core::store {

using crypto::Bytes;
using crypto::ByteView;
using crypto::ProtocolAddress;
using crypto::StoreFailure;
using crypto::StoreResult;
using crypto::StoreStatus;

namespace {

Unexpected<StoreFailure> failure(const StoreError& error)
{
    return makeUnexpected(StoreFailure { error.message.toStdString() });
}

#define TRY_STORE(expr)                                                                                                \
    if (auto result_ = (expr); !result_)                                                                               \
        return failure(result_.error());

QString name(const std::string& value)
{
    return QString::fromStdString(value);
}

Bytes toBytes(const QByteArray& blob)
{
    return Bytes(blob.begin(), blob.end());
}

// Runs a statement expected to return at most one blob in column 0.
StoreResult<std::optional<Bytes>> loadBlob(Statement& s)
{
    auto row = s.step();
    TRY_STORE(row);
    std::optional<Bytes> out;
    if (*row)
        out = toBytes(s.blob(0));
    s.reset();
    return out;
}

StoreResult<bool> exists(Statement& s)
{
    auto row = s.step();
    TRY_STORE(row);
    const bool found = *row;
    s.reset();
    return found;
}

StoreStatus run(Statement& s)
{
    TRY_STORE(s.exec());
    return {};
}

// Writes a record that is usually already there (a session moves on with
// every message): an in-place UPDATE OR FAIL, and an INSERT only for a new
// key. INSERT OR REPLACE would delete and re-insert the row inside a
// statement journal, which SQLCipher 3.4 encrypts page by page.
template <typename Bind> StoreStatus upsert(Database& db, const char* updateSql, const char* insertSql, Bind&& bind)
{
    auto update = db.cached(updateSql);
    TRY_STORE(update);
    bind(**update);
    auto changed = (*update)->exec();
    TRY_STORE(changed);
    if (*changed > 0)
        return {};
    auto insert = db.cached(insertSql);
    TRY_STORE(insert);
    bind(**insert);
    return run(**insert);
}

} // namespace

StoreStatus SqlProtocolStore::setLocalIdentity(const crypto::LocalIdentity& identity)
{
    auto stmt = db_.cached(
        "INSERT OR REPLACE INTO local_identity (id, public_key, private_key, registration_id) VALUES (1, ?, ?, ?)");
    TRY_STORE(stmt);
    (*stmt)->bind(1, ByteView(identity.publicKey)).bind(2, identity.privateKey.view());
    (*stmt)->bind(3, static_cast<std::int64_t>(identity.registrationId));
    return run(**stmt);
}

StoreResult<crypto::LocalIdentity> SqlProtocolStore::localIdentity()
{
    auto stmt = db_.cached("SELECT public_key, private_key, registration_id FROM local_identity WHERE id = 1");
    TRY_STORE(stmt);
    Statement& s = **stmt;
    auto row = s.step();
    TRY_STORE(row);
    if (!*row)
        return makeUnexpected(StoreFailure { "no local identity in this profile" });
    crypto::LocalIdentity identity;
    identity.publicKey = toBytes(s.blob(0));
    {
        // Read the private key straight into zeroizing memory.
        const QByteArray secret = s.blob(1);
        identity.privateKey = crypto::SecretBytes(ByteView(
            reinterpret_cast<const std::uint8_t*>(secret.constData()), static_cast<std::size_t>(secret.size())));
        // The QByteArray copy is short-lived; wipe it before release.
        sodium_memzero(const_cast<char*>(secret.constData()), static_cast<std::size_t>(secret.size()));
    }
    identity.registrationId = static_cast<std::uint32_t>(s.int64(2));
    s.reset();
    return identity;
}

StoreResult<std::optional<crypto::IdentityRecord>> SqlProtocolStore::loadIdentity(const ProtocolAddress& address)
{
    auto stmt = db_.cached("SELECT public_key, trust FROM identities WHERE name = ? AND device_id = ?");
    TRY_STORE(stmt);
    Statement& s = **stmt;
    s.bind(1, name(address.name)).bind(2, address.deviceId);
    auto row = s.step();
    TRY_STORE(row);
    std::optional<crypto::IdentityRecord> out;
    if (*row)
        out = crypto::IdentityRecord { toBytes(s.blob(0)), static_cast<crypto::TrustState>(s.int32(1)) };
    s.reset();
    return out;
}

StoreStatus SqlProtocolStore::saveIdentity(const ProtocolAddress& address, const crypto::IdentityRecord& record)
{
    auto stmt = db_.cached("INSERT OR REPLACE INTO identities (name, device_id, public_key, trust, updated_at) VALUES "
                           "(?, ?, ?, ?, ?)");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(address.name)).bind(2, address.deviceId).bind(3, ByteView(record.publicKey));
    (*stmt)
        ->bind(4, static_cast<int>(record.trust))
        .bind(5, static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch()));
    return run(**stmt);
}

StoreResult<std::optional<Bytes>> SqlProtocolStore::loadSession(const ProtocolAddress& address)
{
    auto stmt = db_.cached("SELECT record FROM sessions WHERE name = ? AND device_id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(address.name)).bind(2, address.deviceId);
    return loadBlob(**stmt);
}

StoreResult<std::vector<std::int32_t>> SqlProtocolStore::subDeviceSessions(const std::string& user)
{
    // Every device with a session, as InMemoryProtocolStore does; the bridge filters.
    auto stmt = db_.cached("SELECT device_id FROM sessions WHERE name = ? ORDER BY device_id");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(user));
    std::vector<std::int32_t> out;
    for (;;) {
        auto row = (*stmt)->step();
        TRY_STORE(row);
        if (!*row)
            break;
        out.push_back((*stmt)->int32(0));
    }
    return out;
}

StoreStatus SqlProtocolStore::storeSession(const ProtocolAddress& address, ByteView record)
{
    return upsert(db_, "UPDATE OR FAIL sessions SET record = ?3 WHERE name = ?1 AND device_id = ?2",
        "INSERT INTO sessions (name, device_id, record) VALUES (?1, ?2, ?3)",
        [&](Statement& s) { s.bind(1, name(address.name)).bind(2, address.deviceId).bind(3, record); });
}

StoreResult<bool> SqlProtocolStore::containsSession(const ProtocolAddress& address)
{
    auto stmt = db_.cached("SELECT 1 FROM sessions WHERE name = ? AND device_id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(address.name)).bind(2, address.deviceId);
    return exists(**stmt);
}

StoreStatus SqlProtocolStore::deleteSession(const ProtocolAddress& address)
{
    auto stmt = db_.cached("DELETE FROM sessions WHERE name = ? AND device_id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(address.name)).bind(2, address.deviceId);
    return run(**stmt);
}

StoreResult<int> SqlProtocolStore::deleteAllSessions(const std::string& user)
{
    auto stmt = db_.cached("DELETE FROM sessions WHERE name = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(user));
    auto changed = (*stmt)->exec();
    TRY_STORE(changed);
    return *changed;
}

StoreResult<std::optional<Bytes>> SqlProtocolStore::loadPreKey(std::uint32_t id)
{
    auto stmt = db_.cached("SELECT record FROM pre_keys WHERE id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id));
    return loadBlob(**stmt);
}

StoreStatus SqlProtocolStore::storePreKey(std::uint32_t id, ByteView record)
{
    auto stmt = db_.cached("INSERT OR REPLACE INTO pre_keys (id, record) VALUES (?, ?)");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id)).bind(2, record);
    return run(**stmt);
}

StoreResult<bool> SqlProtocolStore::containsPreKey(std::uint32_t id)
{
    auto stmt = db_.cached("SELECT 1 FROM pre_keys WHERE id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id));
    return exists(**stmt);
}

StoreStatus SqlProtocolStore::removePreKey(std::uint32_t id)
{
    auto stmt = db_.cached("DELETE FROM pre_keys WHERE id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id));
    return run(**stmt);
}

StoreResult<std::optional<Bytes>> SqlProtocolStore::loadSignedPreKey(std::uint32_t id)
{
    auto stmt = db_.cached("SELECT record FROM signed_pre_keys WHERE id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id));
    return loadBlob(**stmt);
}

StoreStatus SqlProtocolStore::storeSignedPreKey(std::uint32_t id, ByteView record)
{
    auto stmt = db_.cached("INSERT OR REPLACE INTO signed_pre_keys (id, record, created_at) VALUES (?, ?, ?)");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id)).bind(2, record);
    (*stmt)->bind(3, static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch()));
    return run(**stmt);
}

StoreResult<bool> SqlProtocolStore::containsSignedPreKey(std::uint32_t id)
{
    auto stmt = db_.cached("SELECT 1 FROM signed_pre_keys WHERE id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id));
    return exists(**stmt);
}

StoreStatus SqlProtocolStore::removeSignedPreKey(std::uint32_t id)
{
    auto stmt = db_.cached("DELETE FROM signed_pre_keys WHERE id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, static_cast<std::int64_t>(id));
    return run(**stmt);
}

StoreResult<std::optional<Bytes>> SqlProtocolStore::loadSenderKey(const crypto::SenderKeyName& key)
{
    auto stmt = db_.cached("SELECT record FROM sender_keys WHERE group_id = ? AND name = ? AND device_id = ?");
    TRY_STORE(stmt);
    (*stmt)->bind(1, name(key.groupId)).bind(2, name(key.sender.name)).bind(3, key.sender.deviceId);
    return loadBlob(**stmt);
}

StoreStatus SqlProtocolStore::storeSenderKey(const crypto::SenderKeyName& key, ByteView record)
{
    return upsert(db_,
        "UPDATE OR FAIL sender_keys SET record = ?4 WHERE group_id = ?1 AND name = ?2 AND device_id = ?3",
        "INSERT INTO sender_keys (group_id, name, device_id, record) VALUES (?1, ?2, ?3, ?4)", [&](Statement& s) {
            s.bind(1, name(key.groupId)).bind(2, name(key.sender.name)).bind(3, key.sender.deviceId).bind(4, record);
        });
}

} // namespace tenchat::core::store
