// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Ed25519 (libsodium crypto_sign) for signatures that are not tied to the
// Signal identity: payment requests, plugin manifests, audit anchors.
// Deterministic signatures (RFC 8032).

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/SecretBytes.h"

#include <cstddef>

namespace tenchat::crypto {

constexpr std::size_t kEd25519PublicKeyBytes = 32;
constexpr std::size_t kEd25519SecretKeyBytes = 64; // libsodium form: seed || public key
constexpr std::size_t kEd25519SeedBytes = 32;
constexpr std::size_t kEd25519SignatureBytes = 64;

struct Ed25519KeyPair {
    Bytes publicKey;
    SecretBytes secretKey;
};

Ed25519KeyPair generateEd25519KeyPair();
// The same seed always gives the same key pair. Errors: InvalidKey.
CryptoResult<Ed25519KeyPair> ed25519KeyPairFromSeed(const SecretBytes& seed);

// Detached signature. Errors: InvalidKey for a secret key of the wrong size.
CryptoResult<Bytes> signEd25519(const SecretBytes& secretKey, ByteView message);
// false for a wrong signature and for any malformed key or signature.
bool verifyEd25519(ByteView publicKey, ByteView message, ByteView signature);

} // namespace tenchat::crypto
