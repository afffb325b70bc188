// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Primitives of device linking (docs/messaging.md, "Linking a device").
//
// The one-time code is a rendezvous id (public to the relay) and a secret
// (never leaves the two devices), written as 20 Crockford base32 characters
// in groups of four. The code key is Argon2id(secret, salt = H(rendezvous)).
// The new device seals an offer (its ephemeral X25519 public key) with the
// code key; the approving device answers with its own ephemeral public key
// and seals the account data with a key derived from the code key AND the
// X25519 shared secret, bound to both public keys and the rendezvous id.

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/Kdf.h"
#include "tenchat/crypto/SecretBytes.h"

#include <string>
#include <string_view>

namespace tenchat::crypto {

constexpr std::size_t kLinkRendezvousBytes = 4;
constexpr std::size_t kLinkSecretBytes = 8;
constexpr std::size_t kLinkPublicKeyBytes = 32;
constexpr std::size_t kLinkKeyBytes = 32;

struct LinkCode {
    Bytes rendezvous; // kLinkRendezvousBytes
    SecretBytes secret; // kLinkSecretBytes
};

struct LinkKeyPair {
    Bytes publicKey; // X25519, 32 bytes
    SecretBytes secretKey;
};

// A fresh random code.
LinkCode newLinkCode();
// "ABCD-EFGH-JKMN-PQRS-TVWX" (Crockford base32, no I L O U).
std::string formatLinkCode(const LinkCode& code);
// Case-insensitive; dashes and spaces ignored; I/L read as 1, O as 0.
// InvalidKey when it is not a code.
CryptoResult<LinkCode> parseLinkCode(std::string_view text);

// Argon2id cost for the code key (2 passes, 16 MiB).
Argon2Params linkArgon2Params();
// Argon2id of the secret, salted with a hash of the rendezvous id.
CryptoResult<SecretBytes> deriveLinkCodeKey(const LinkCode& code, const Argon2Params& params = linkArgon2Params());

LinkKeyPair newLinkKeyPair();

// XChaCha20-Poly1305: nonce || ciphertext. `associated` is authenticated.
CryptoResult<Bytes> linkSeal(ByteView key, ByteView associated, ByteView plaintext);
// InvalidMessage when the key is wrong or anything was changed.
CryptoResult<Bytes> linkOpen(ByteView key, ByteView associated, ByteView sealed);

// The answer key: BLAKE2b keyed with the code key over
// "tenchat-link-answer-v1" || rendezvous || offerPublic || answerPublic || X25519(ours, theirs).
CryptoResult<SecretBytes> deriveLinkAnswerKey(const SecretBytes& codeKey, const SecretBytes& ourSecret,
    ByteView theirPublic, ByteView offerPublic, ByteView answerPublic, ByteView rendezvous);

} // namespace tenchat::crypto
