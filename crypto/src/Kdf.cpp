// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/Kdf.h"

#include "SodiumInit.h"

#include <sodium.h>

#include <algorithm>

namespace tenchat::crypto {

Argon2Params Argon2Params::interactive()
{
    return Argon2Params {};
}

Argon2Params Argon2Params::forTests()
{
    return Argon2Params { 1, 8ull * 1024 * 1024 };
}

bool Argon2Params::withinBounds() const
{
    return opsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN && opsLimit <= crypto_pwhash_argon2id_OPSLIMIT_MAX
        && memLimitBytes >= crypto_pwhash_argon2id_MEMLIMIT_MIN
        && memLimitBytes <= std::min<std::uint64_t>(crypto_pwhash_argon2id_MEMLIMIT_MAX, 4ull << 30);
}

Bytes newArgon2Salt()
{
    ensureSodium();
    Bytes salt(kArgon2SaltBytes);
    randombytes_buf(salt.data(), salt.size());
    return salt;
}

CryptoResult<SecretBytes> deriveKeyArgon2id(
    std::string_view passphrase, ByteView salt, const Argon2Params& params, std::size_t outputBytes)
{
    ensureSodium();
    if (salt.size() != crypto_pwhash_argon2id_SALTBYTES)
        return cryptoError(CryptoErrorCode::InvalidKey, "Argon2id salt must be 16 bytes");
    if (!params.withinBounds())
        return cryptoError(CryptoErrorCode::InvalidKey, "Argon2id parameters out of range");
    if (outputBytes < crypto_pwhash_argon2id_BYTES_MIN || outputBytes > 1024)
        return cryptoError(CryptoErrorCode::InvalidKey, "Argon2id output length out of range");

    SecretBytes key(outputBytes);
    if (crypto_pwhash_argon2id(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
            params.opsLimit, static_cast<std::size_t>(params.memLimitBytes), crypto_pwhash_argon2id_ALG_ARGON2ID13)
        != 0)
        return cryptoError(CryptoErrorCode::Internal, "Argon2id ran out of memory");
    return key;
}

} // namespace tenchat::crypto
