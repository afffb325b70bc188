// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Expected.h"

#include <string>

namespace tenchat::crypto {

enum class CryptoErrorCode {
    UntrustedIdentity, // the peer's identity key changed and is not yet accepted
    DuplicateMessage, // replay of a message already decrypted
    InvalidMessage, // tampered, truncated or malformed ciphertext
    NoSession, // no session with that address
    InvalidKey, // a key or bundle that does not parse or verify
    LegacyVersion, // a message from an unsupported protocol version
    SenderKeyMissing, // no sender key for that group member
    StoreFailure, // the ProtocolStore could not read or write
    Internal, // a library or allocation failure
};

const char* toString(CryptoErrorCode code);

struct CryptoError {
    CryptoErrorCode code = CryptoErrorCode::Internal;
    std::string message; // human readable; never contains key material
};

template <class T> using CryptoResult = Expected<T, CryptoError>;

inline Unexpected<CryptoError> cryptoError(CryptoErrorCode code, std::string message)
{
    return Unexpected<CryptoError>(CryptoError { code, std::move(message) });
}

} // namespace tenchat::crypto
