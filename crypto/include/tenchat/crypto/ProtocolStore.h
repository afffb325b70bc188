// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/Expected.h"
#include "tenchat/crypto/SecretBytes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tenchat::crypto {

// A device of a user: `name` is the relay's opaque user id, `deviceId` the
// device number within that account.
struct ProtocolAddress {
    std::string name;
    std::int32_t deviceId = 0;
    friend bool operator==(const ProtocolAddress&, const ProtocolAddress&) = default;
};

// Sender keys are per (group, sending device).
struct SenderKeyName {
    std::string groupId;
    ProtocolAddress sender;
    friend bool operator==(const SenderKeyName&, const SenderKeyName&) = default;
};

enum class TrustState {
    Unverified, // first seen key, trusted on first use
    Verified, // the user compared safety numbers
    Changed, // the key differs from the one seen before: refuse until accepted
};

struct IdentityRecord {
    Bytes publicKey; // serialized libsignal public key (33 bytes, type byte 0x05)
    TrustState trust = TrustState::Unverified;
};

struct LocalIdentity {
    Bytes publicKey; // serialized public key
    SecretBytes privateKey; // serialized private key
    std::uint32_t registrationId = 0;
};

struct StoreFailure {
    std::string message;
};

template <class T> using StoreResult = Expected<T, StoreFailure>;
using StoreStatus = Expected<void, StoreFailure>;

// Everything libsignal-protocol-c keeps between messages. The crypto engine
// bridges these calls to libsignal's store callbacks; the core implements it
// on SQLCipher, InMemoryProtocolStore implements it for tests and benchmarks.
//
// Loads return std::nullopt for "not present" and a StoreFailure only for a
// real I/O problem, so a failing disk is never mistaken for a missing session.
// Calls arrive under the engine's recursive lock, one at a time.
class ProtocolStore {
public:
    virtual ~ProtocolStore() = default;

    // Identity of this device.
    virtual StoreResult<LocalIdentity> localIdentity() = 0;

    // Identities of peers, with the user's trust decision.
    virtual StoreResult<std::optional<IdentityRecord>> loadIdentity(const ProtocolAddress& address) = 0;
    virtual StoreStatus saveIdentity(const ProtocolAddress& address, const IdentityRecord& record) = 0;

    // Double-ratchet session records (opaque serialized bytes).
    virtual StoreResult<std::optional<Bytes>> loadSession(const ProtocolAddress& address) = 0;
    virtual StoreResult<std::vector<std::int32_t>> subDeviceSessions(const std::string& name) = 0;
    virtual StoreStatus storeSession(const ProtocolAddress& address, ByteView record) = 0;
    virtual StoreResult<bool> containsSession(const ProtocolAddress& address) = 0;
    virtual StoreStatus deleteSession(const ProtocolAddress& address) = 0;
    virtual StoreResult<int> deleteAllSessions(const std::string& name) = 0;

    // One-time pre-keys (removed once used).
    virtual StoreResult<std::optional<Bytes>> loadPreKey(std::uint32_t id) = 0;
    virtual StoreStatus storePreKey(std::uint32_t id, ByteView record) = 0;
    virtual StoreResult<bool> containsPreKey(std::uint32_t id) = 0;
    virtual StoreStatus removePreKey(std::uint32_t id) = 0;

    // Signed pre-keys (rotated, the previous kept for a grace period).
    virtual StoreResult<std::optional<Bytes>> loadSignedPreKey(std::uint32_t id) = 0;
    virtual StoreStatus storeSignedPreKey(std::uint32_t id, ByteView record) = 0;
    virtual StoreResult<bool> containsSignedPreKey(std::uint32_t id) = 0;
    virtual StoreStatus removeSignedPreKey(std::uint32_t id) = 0;

    // Group sender keys.
    virtual StoreResult<std::optional<Bytes>> loadSenderKey(const SenderKeyName& name) = 0;
    virtual StoreStatus storeSenderKey(const SenderKeyName& name, ByteView record) = 0;

    // Optional write batching. The engine applies all writes of one
    // operation (a decrypt: session + identity + used pre-key) between
    // beginWriteBatch() and commitWriteBatch(), and calls abortWriteBatch()
    // instead of commit when one of them failed. A database-backed store can
    // map these to one transaction so an operation is stored all or nothing.
    // The defaults do nothing (each write stands alone).
    virtual StoreStatus beginWriteBatch() { return {}; }
    virtual StoreStatus commitWriteBatch() { return {}; }
    virtual void abortWriteBatch() { }
};

} // namespace tenchat::crypto
