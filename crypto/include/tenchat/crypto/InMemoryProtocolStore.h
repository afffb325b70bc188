// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A ProtocolStore held in memory, for tests, benchmarks and the fuzzer.
// Not for production: nothing survives the process, and the private key sits
// in ordinary (zeroed-on-release) memory.

#include "tenchat/crypto/ProtocolStore.h"

#include <map>
#include <string>
#include <tuple>
#include <utility>

namespace tenchat::crypto {

class InMemoryProtocolStore final : public ProtocolStore {
public:
    explicit InMemoryProtocolStore(LocalIdentity identity);

    StoreResult<LocalIdentity> localIdentity() override;
    StoreResult<std::optional<IdentityRecord>> loadIdentity(const ProtocolAddress& address) override;
    StoreStatus saveIdentity(const ProtocolAddress& address, const IdentityRecord& record) override;

    StoreResult<std::optional<Bytes>> loadSession(const ProtocolAddress& address) override;
    StoreResult<std::vector<std::int32_t>> subDeviceSessions(const std::string& name) override;
    StoreStatus storeSession(const ProtocolAddress& address, ByteView record) override;
    StoreResult<bool> containsSession(const ProtocolAddress& address) override;
    StoreStatus deleteSession(const ProtocolAddress& address) override;
    StoreResult<int> deleteAllSessions(const std::string& name) override;

    StoreResult<std::optional<Bytes>> loadPreKey(std::uint32_t id) override;
    StoreStatus storePreKey(std::uint32_t id, ByteView record) override;
    StoreResult<bool> containsPreKey(std::uint32_t id) override;
    StoreStatus removePreKey(std::uint32_t id) override;

    StoreResult<std::optional<Bytes>> loadSignedPreKey(std::uint32_t id) override;
    StoreStatus storeSignedPreKey(std::uint32_t id, ByteView record) override;
    StoreResult<bool> containsSignedPreKey(std::uint32_t id) override;
    StoreStatus removeSignedPreKey(std::uint32_t id) override;

    StoreResult<std::optional<Bytes>> loadSenderKey(const SenderKeyName& name) override;
    StoreStatus storeSenderKey(const SenderKeyName& name, ByteView record) override;

    // Batches are all or nothing, like a database transaction.
    StoreStatus beginWriteBatch() override;
    StoreStatus commitWriteBatch() override;
    void abortWriteBatch() override;

    // Test hooks.
    // Every call fails with StoreFailure while set, to exercise error paths.
    void setFailing(bool failing) { failing_ = failing; }
    // Lets `writes` more writes succeed, then fails every write until reset
    // with std::nullopt: exercises a failure in the middle of a batch.
    void setFailAfterWrites(std::optional<std::size_t> writes) { writesBeforeFailure_ = writes; }
    // A deterministic serialisation of everything held, so a test can prove
    // that an operation left the store unchanged.
    Bytes snapshot() const;
    std::size_t preKeyCount() const { return preKeys_.size(); }
    std::size_t writeCount() const { return writes_; }

private:
    using AddressKey = std::pair<std::string, std::int32_t>;
    using SenderKeyKey = std::tuple<std::string, std::string, std::int32_t>;
    static AddressKey keyOf(const ProtocolAddress& address) { return { address.name, address.deviceId }; }

    LocalIdentity identity_;
    std::map<AddressKey, IdentityRecord> identities_;
    std::map<AddressKey, Bytes> sessions_;
    std::map<std::uint32_t, Bytes> preKeys_;
    std::map<std::uint32_t, Bytes> signedPreKeys_;
    std::map<SenderKeyKey, Bytes> senderKeys_;
    struct Contents {
        std::map<AddressKey, IdentityRecord> identities;
        std::map<AddressKey, Bytes> sessions;
        std::map<std::uint32_t, Bytes> preKeys;
        std::map<std::uint32_t, Bytes> signedPreKeys;
        std::map<SenderKeyKey, Bytes> senderKeys;
    };
    bool writeFails();

    bool failing_ = false;
    std::size_t writes_ = 0;
    std::optional<std::size_t> writesBeforeFailure_;
    std::optional<Contents> batchBackup_;
};

} // namespace tenchat::crypto
