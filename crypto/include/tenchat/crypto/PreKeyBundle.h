// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a device publishes on the relay so that others can start a session
// with it while it is offline (X3DH): identity key, a signed pre-key and,
// while the supply lasts, one one-time pre-key per fetch.

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"

#include <cstdint>
#include <optional>

namespace tenchat::crypto {

struct PublicPreKey {
    std::uint32_t id = 0;
    Bytes publicKey; // 33 bytes
    friend bool operator==(const PublicPreKey&, const PublicPreKey&) = default;
};

struct PublicSignedPreKey {
    std::uint32_t id = 0;
    Bytes publicKey; // 33 bytes
    Bytes signature; // XEdDSA by the identity key over publicKey, 64 bytes
    std::uint64_t timestampMs = 0; // creation time, for rotation
    friend bool operator==(const PublicSignedPreKey&, const PublicSignedPreKey&) = default;
};

struct PreKeyBundle {
    std::uint32_t registrationId = 0;
    std::int32_t deviceId = 0;
    Bytes identityKey; // 33 bytes
    PublicSignedPreKey signedPreKey;
    std::optional<PublicPreKey> preKey; // absent when the relay ran out

    friend bool operator==(const PreKeyBundle&, const PreKeyBundle&) = default;

    // Checks every key parses and the signed pre-key's signature verifies.
    // Errors: InvalidKey.
    CryptoResult<void> verify() const;

    // A compact, versioned binary form (see docs/crypto.md).
    Bytes serialize() const;
    // Errors: InvalidKey for anything that is not a well-formed bundle whose
    // signature verifies.
    static CryptoResult<PreKeyBundle> deserialize(ByteView bytes);
};

} // namespace tenchat::crypto
