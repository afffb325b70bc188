// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/Hash.h"

#include "SodiumInit.h"

#include <sodium.h>

namespace tenchat::crypto {

CryptoResult<Bytes> blake2b(ByteView data, std::size_t outputBytes, ByteView key)
{
    ensureSodium();
    if (outputBytes < crypto_generichash_blake2b_BYTES_MIN || outputBytes > crypto_generichash_blake2b_BYTES_MAX)
        return cryptoError(CryptoErrorCode::InvalidKey, "BLAKE2b output must be 16..64 bytes");
    if (!key.empty()
        && (key.size() < crypto_generichash_blake2b_KEYBYTES_MIN
            || key.size() > crypto_generichash_blake2b_KEYBYTES_MAX))
        return cryptoError(CryptoErrorCode::InvalidKey, "BLAKE2b key must be 16..64 bytes");
    Bytes out(outputBytes);
    if (crypto_generichash_blake2b(
            out.data(), out.size(), data.data(), data.size(), key.empty() ? nullptr : key.data(), key.size())
        != 0)
        return cryptoError(CryptoErrorCode::Internal, "BLAKE2b failed");
    return out;
}

Bytes sha256(ByteView data)
{
    ensureSodium();
    Bytes out(crypto_hash_sha256_BYTES);
    crypto_hash_sha256(out.data(), data.data(), data.size());
    return out;
}

bool constantTimeEquals(ByteView a, ByteView b)
{
    if (a.size() != b.size())
        return false;
    if (a.empty())
        return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Bytes randomBytes(std::size_t count)
{
    ensureSodium();
    Bytes out(count);
    randombytes_buf(out.data(), out.size());
    return out;
}

} // namespace tenchat::crypto
