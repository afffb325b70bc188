// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Hashing and comparison helpers on libsodium.
//  - BLAKE2b: content addressing of media chunks, keyed MACs, log-id
//    redaction (keyed with a salt).
//  - SHA-256: where an outside format demands it (interoperable digests).
//  - Constant-time comparison for anything secret-dependent (MACs, tokens).

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"

#include <cstddef>

namespace tenchat::crypto {

constexpr std::size_t kBlake2bBytes = 32; // default output
constexpr std::size_t kSha256Bytes = 32;

// BLAKE2b with an output of 16..64 bytes and an optional key of 16..64
// bytes (empty: unkeyed). Errors: InvalidKey for sizes out of range.
CryptoResult<Bytes> blake2b(ByteView data, std::size_t outputBytes = kBlake2bBytes, ByteView key = {});

Bytes sha256(ByteView data);

// Constant-time equality; different lengths compare unequal (the length is
// not secret).
bool constantTimeEquals(ByteView a, ByteView b);

// Cryptographically secure random bytes (libsodium).
Bytes randomBytes(std::size_t count);

} // namespace tenchat::crypto
