// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalKeys.h"

#include "SignalContext.h"
#include "SignalErrors.h"

#include "tenchat/crypto/Identity.h"

namespace tenchat::crypto::detail {

CryptoResult<SignalPtr<ec_public_key>> decodePublicKey(ByteView bytes)
{
    // curve_decode_point also accepts longer input; insist on the exact size
    // so one key has one encoding.
    if (bytes.size() != kIdentityPublicKeyBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "public key must be 33 bytes");
    SignalPtr<ec_public_key> key;
    if (const int rc = curve_decode_point(out(key), bytes.data(), bytes.size(), SignalContext::global());
        rc != SG_SUCCESS)
        return signalFailure(rc, "decode public key");
    return key;
}

CryptoResult<SignalPtr<ec_private_key>> decodePrivateKey(ByteView bytes)
{
    if (bytes.size() != kIdentityPrivateKeyBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "private key must be 32 bytes");
    SignalPtr<ec_private_key> key;
    if (const int rc = curve_decode_private_point(out(key), bytes.data(), bytes.size(), SignalContext::global());
        rc != SG_SUCCESS)
        return signalFailure(rc, "decode private key");
    return key;
}

CryptoResult<Bytes> serializePublicKey(const ec_public_key* key)
{
    SignalBuffer buffer;
    if (const int rc = ec_public_key_serialize(out(buffer), key); rc != SG_SUCCESS)
        return signalFailure(rc, "serialize public key");
    return bytesOf(buffer.get());
}

CryptoResult<SecretBytes> serializePrivateKey(const ec_private_key* key)
{
    SignalBuffer buffer;
    if (const int rc = ec_private_key_serialize(out(buffer), key); rc != SG_SUCCESS)
        return signalFailure(rc, "serialize private key");
    return SecretBytes(viewOf(buffer.get()));
}

} // namespace tenchat::crypto::detail
