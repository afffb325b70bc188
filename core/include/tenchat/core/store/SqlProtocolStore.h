// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/crypto/ProtocolStore.h"

namespace tenchat::core::store {

class Database;

// The crypto engine's ProtocolStore on the profile database: libsignal
// sessions, pre-keys, signed pre-keys, peer identities with trust state,
// sender keys and this device's identity. Use it on the store's thread only
// (the messaging engine decrypts on the store worker, next to the inbox).
class SqlProtocolStore final : public crypto::ProtocolStore {
public:
    explicit SqlProtocolStore(Database& db) : db_(db) { }

    // Set once when the device is registered (or restored).
    crypto::StoreStatus setLocalIdentity(const crypto::LocalIdentity& identity);

    crypto::StoreResult<crypto::LocalIdentity> localIdentity() override;
    crypto::StoreResult<std::optional<crypto::IdentityRecord>> loadIdentity(
        const crypto::ProtocolAddress& address) override;
    crypto::StoreStatus saveIdentity(
        const crypto::ProtocolAddress& address, const crypto::IdentityRecord& record) override;

    crypto::StoreResult<std::optional<crypto::Bytes>> loadSession(const crypto::ProtocolAddress& address) override;
    crypto::StoreResult<std::vector<std::int32_t>> subDeviceSessions(const std::string& name) override;
    crypto::StoreStatus storeSession(const crypto::ProtocolAddress& address, crypto::ByteView record) override;
    crypto::StoreResult<bool> containsSession(const crypto::ProtocolAddress& address) override;
    crypto::StoreStatus deleteSession(const crypto::ProtocolAddress& address) override;
    crypto::StoreResult<int> deleteAllSessions(const std::string& name) override;

    crypto::StoreResult<std::optional<crypto::Bytes>> loadPreKey(std::uint32_t id) override;
    crypto::StoreStatus storePreKey(std::uint32_t id, crypto::ByteView record) override;
    crypto::StoreResult<bool> containsPreKey(std::uint32_t id) override;
    crypto::StoreStatus removePreKey(std::uint32_t id) override;

    crypto::StoreResult<std::optional<crypto::Bytes>> loadSignedPreKey(std::uint32_t id) override;
    crypto::StoreStatus storeSignedPreKey(std::uint32_t id, crypto::ByteView record) override;
    crypto::StoreResult<bool> containsSignedPreKey(std::uint32_t id) override;
    crypto::StoreStatus removeSignedPreKey(std::uint32_t id) override;

    crypto::StoreResult<std::optional<crypto::Bytes>> loadSenderKey(const crypto::SenderKeyName& name) override;
    crypto::StoreStatus storeSenderKey(const crypto::SenderKeyName& name, crypto::ByteView record) override;

private:
    Database& db_;
};

} // namespace tenchat::core::store
