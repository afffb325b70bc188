// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/Expected.h"
#include "tenchat/crypto/SecretBytes.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tenchat::crypto {

// Argon2id parameters. They are stored next to whatever they protect (the
// profile header, a backup file) so they can be raised later without
// breaking old files. See docs/crypto.md for why these defaults.
struct Argon2Params {
    std::uint64_t opsLimit = 3; // passes over memory
    std::uint64_t memLimitBytes = 64ull * 1024 * 1024; // 64 MiB
    static Argon2Params interactive(); // the default above
    static Argon2Params forTests(); // 8 MiB, 1 pass: tests only
    bool withinBounds() const; // libsodium's accepted range
};

constexpr std::size_t kArgon2SaltBytes = 16;

// A fresh random salt for Argon2id.
Bytes newArgon2Salt();

// Derives `outputBytes` of key material from a passphrase with Argon2id v1.3.
// Errors: InvalidKey for a bad salt size or out-of-range parameters,
// Internal when libsodium cannot allocate the memory.
CryptoResult<SecretBytes> deriveKeyArgon2id(
    std::string_view passphrase, ByteView salt, const Argon2Params& params, std::size_t outputBytes = 32);

} // namespace tenchat::crypto
