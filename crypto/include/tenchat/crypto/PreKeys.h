// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Creating the keys a device publishes: its identity (once, at install),
// batches of one-time pre-keys (the relay hands out one per session set-up)
// and the signed pre-key (rotated periodically). Private halves go to the
// ProtocolStore; the public halves are returned for upload.

#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/PreKeyBundle.h"
#include "tenchat/crypto/ProtocolStore.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tenchat::crypto {

constexpr std::uint32_t kDefaultPreKeyBatch = 100;
// libsignal pre-key ids live in 1..0xFFFFFE.
constexpr std::uint32_t kMaxPreKeyId = 0xFFFFFE;

// A new identity key pair and registration id for this device. The caller
// persists it (the store's localIdentity() returns it afterwards).
CryptoResult<LocalIdentity> generateLocalIdentity();

// Generates `count` one-time pre-keys with ids firstId, firstId+1, ...
// (wrapping to 1 after kMaxPreKeyId), stores their records and returns the
// public halves. Errors: InvalidKey for count 0 or above 1000 or firstId 0,
// StoreFailure.
CryptoResult<std::vector<PublicPreKey>> generatePreKeys(
    ProtocolStore& store, std::uint32_t firstId, std::uint32_t count = kDefaultPreKeyBatch);

// Generates a signed pre-key, signed with the store's identity key, stores
// its record and returns the public half.
CryptoResult<PublicSignedPreKey> generateSignedPreKey(
    ProtocolStore& store, std::uint32_t id, std::uint64_t timestampMs);

// Assembles this device's bundle from records in the store.
// Errors: InvalidKey when a referenced key is missing, StoreFailure.
CryptoResult<PreKeyBundle> buildLocalBundle(
    ProtocolStore& store, std::int32_t deviceId, std::uint32_t signedPreKeyId, std::optional<std::uint32_t> preKeyId);

} // namespace tenchat::crypto
