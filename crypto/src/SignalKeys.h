// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Conversions between serialized keys and libsignal key objects.

#include "SignalRef.h"

#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/SecretBytes.h"

namespace tenchat::crypto::detail {

// InvalidKey unless `bytes` is a 33-byte type-0x05 public key.
CryptoResult<SignalPtr<ec_public_key>> decodePublicKey(ByteView bytes);
// InvalidKey unless `bytes` is a 32-byte private key.
CryptoResult<SignalPtr<ec_private_key>> decodePrivateKey(ByteView bytes);
CryptoResult<Bytes> serializePublicKey(const ec_public_key* key);
CryptoResult<SecretBytes> serializePrivateKey(const ec_private_key* key);

} // namespace tenchat::crypto::detail
