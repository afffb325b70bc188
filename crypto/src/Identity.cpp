// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/Identity.h"

#include "SignalContext.h"
#include "SignalErrors.h"
#include "SignalKeys.h"
#include "SignalRef.h"
#include "SodiumInit.h"

#include <sodium.h>

namespace tenchat::crypto {

using namespace detail;

CryptoResult<IdentityKeyPair> generateIdentityKeyPair()
{
    signal_context* context = SignalContext::global();
    if (!context)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    SignalPtr<ec_key_pair> pair;
    if (const int rc = curve_generate_key_pair(context, out(pair)); rc != SG_SUCCESS)
        return signalFailure(rc, "generate identity key");
    auto publicKey = serializePublicKey(ec_key_pair_get_public(pair.get()));
    if (!publicKey)
        return Unexpected(std::move(publicKey).error());
    auto privateKey = serializePrivateKey(ec_key_pair_get_private(pair.get()));
    if (!privateKey)
        return Unexpected(std::move(privateKey).error());
    return IdentityKeyPair { std::move(*publicKey), std::move(*privateKey) };
}

CryptoResult<Bytes> signWithIdentity(const SecretBytes& privateKey, ByteView message)
{
    signal_context* context = SignalContext::global();
    if (!context)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    auto key = decodePrivateKey(privateKey.view());
    if (!key)
        return Unexpected(std::move(key).error());
    SignalBuffer signature;
    if (const int rc = curve_calculate_signature(context, out(signature), key->get(), message.data(), message.size());
        rc != SG_SUCCESS)
        return signalFailure(rc, "XEdDSA sign");
    return bytesOf(signature.get());
}

bool verifyIdentitySignature(ByteView publicKey, ByteView message, ByteView signature)
{
    if (signature.size() != kIdentitySignatureBytes)
        return false;
    auto key = decodePublicKey(publicKey);
    if (!key)
        return false;
    return curve_verify_signature(key->get(), message.data(), message.size(), signature.data(), signature.size()) == 1;
}

std::uint32_t generateRegistrationId()
{
    ensureSodium();
    return randombytes_uniform(16380) + 1;
}

bool isValidIdentityPublicKey(ByteView publicKey)
{
    return decodePublicKey(publicKey).hasValue();
}

} // namespace tenchat::crypto
