// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/CryptoError.h"

namespace tenchat::crypto {

const char* toString(CryptoErrorCode code)
{
    switch (code) {
    case CryptoErrorCode::UntrustedIdentity: return "untrusted identity";
    case CryptoErrorCode::DuplicateMessage: return "duplicate message";
    case CryptoErrorCode::InvalidMessage: return "invalid message";
    case CryptoErrorCode::NoSession: return "no session";
    case CryptoErrorCode::InvalidKey: return "invalid key";
    case CryptoErrorCode::LegacyVersion: return "legacy version";
    case CryptoErrorCode::SenderKeyMissing: return "sender key missing";
    case CryptoErrorCode::StoreFailure: return "store failure";
    case CryptoErrorCode::Internal: return "internal error";
    }
    return "unknown error";
}

} // namespace tenchat::crypto
