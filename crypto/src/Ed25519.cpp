// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/Ed25519.h"

#include "SodiumInit.h"

#include <sodium.h>

static_assert(tenchat::crypto::kEd25519PublicKeyBytes == crypto_sign_ed25519_PUBLICKEYBYTES);
static_assert(tenchat::crypto::kEd25519SecretKeyBytes == crypto_sign_ed25519_SECRETKEYBYTES);
static_assert(tenchat::crypto::kEd25519SeedBytes == crypto_sign_ed25519_SEEDBYTES);
static_assert(tenchat::crypto::kEd25519SignatureBytes == crypto_sign_ed25519_BYTES);

namespace tenchat::crypto {

Ed25519KeyPair generateEd25519KeyPair()
{
    ensureSodium();
    Ed25519KeyPair pair { Bytes(kEd25519PublicKeyBytes), SecretBytes(kEd25519SecretKeyBytes) };
    crypto_sign_ed25519_keypair(pair.publicKey.data(), pair.secretKey.data());
    return pair;
}

CryptoResult<Ed25519KeyPair> ed25519KeyPairFromSeed(const SecretBytes& seed)
{
    ensureSodium();
    if (seed.size() != kEd25519SeedBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "Ed25519 seed must be 32 bytes");
    Ed25519KeyPair pair { Bytes(kEd25519PublicKeyBytes), SecretBytes(kEd25519SecretKeyBytes) };
    crypto_sign_ed25519_seed_keypair(pair.publicKey.data(), pair.secretKey.data(), seed.data());
    return pair;
}

CryptoResult<Bytes> signEd25519(const SecretBytes& secretKey, ByteView message)
{
    ensureSodium();
    if (secretKey.size() != kEd25519SecretKeyBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "Ed25519 secret key must be 64 bytes");
    Bytes signature(kEd25519SignatureBytes);
    if (crypto_sign_ed25519_detached(signature.data(), nullptr, message.data(), message.size(), secretKey.data()) != 0)
        return cryptoError(CryptoErrorCode::Internal, "Ed25519 signing failed");
    return signature;
}

bool verifyEd25519(ByteView publicKey, ByteView message, ByteView signature)
{
    ensureSodium();
    if (publicKey.size() != kEd25519PublicKeyBytes || signature.size() != kEd25519SignatureBytes)
        return false;
    return crypto_sign_ed25519_verify_detached(signature.data(), message.data(), message.size(), publicKey.data()) == 0;
}

} // namespace tenchat::crypto
