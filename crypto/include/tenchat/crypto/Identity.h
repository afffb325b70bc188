// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The device identity: a Curve25519 key pair in libsignal's serialisation,
// used for X3DH and, through XEdDSA, to sign (relay challenge
// authentication, signed pre-keys).

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/SecretBytes.h"

#include <cstddef>
#include <cstdint>

namespace tenchat::crypto {

constexpr std::size_t kIdentityPublicKeyBytes = 33; // type byte 0x05 + 32
constexpr std::size_t kIdentityPrivateKeyBytes = 32;
constexpr std::size_t kIdentitySignatureBytes = 64;

struct IdentityKeyPair {
    Bytes publicKey; // libsignal-serialized (33 bytes, type 0x05)
    SecretBytes privateKey; // libsignal-serialized (32 bytes)
};

CryptoResult<IdentityKeyPair> generateIdentityKeyPair();

// XEdDSA signature (curve_calculate_signature), 64 bytes, randomised.
// Errors: InvalidKey when privateKey does not parse.
CryptoResult<Bytes> signWithIdentity(const SecretBytes& privateKey, ByteView message);

// curve_verify_signature; false on any malformed key or signature.
bool verifyIdentitySignature(ByteView publicKey, ByteView message, ByteView signature);

// A random registration id in libsignal's range 1..16380.
std::uint32_t generateRegistrationId();

// True when `publicKey` parses as a libsignal public key.
bool isValidIdentityPublicKey(ByteView publicKey);

} // namespace tenchat::crypto
