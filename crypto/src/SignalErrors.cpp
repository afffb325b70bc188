// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalErrors.h"

#include <signal/signal_protocol.h>

#include <string>

namespace tenchat::crypto::detail {

CryptoError signalError(int code, std::string_view what)
{
    CryptoErrorCode mapped = CryptoErrorCode::Internal;
    const char* reason = "library failure";
    switch (code) {
    case SG_ERR_UNTRUSTED_IDENTITY:
        mapped = CryptoErrorCode::UntrustedIdentity;
        reason = "the peer's identity key changed and is not trusted yet";
        break;
    case SG_ERR_DUPLICATE_MESSAGE:
        mapped = CryptoErrorCode::DuplicateMessage;
        reason = "message already received";
        break;
    case SG_ERR_INVALID_MESSAGE:
    case SG_ERR_INVALID_MAC:
    case SG_ERR_INVALID_PROTO_BUF:
    case SG_ERR_INVAL:
    case SG_ERR_INVALID_VERSION:
    case SG_ERR_STALE_KEY_EXCHANGE:
        mapped = CryptoErrorCode::InvalidMessage;
        reason = "invalid or tampered message";
        break;
    case SG_ERR_LEGACY_MESSAGE:
        mapped = CryptoErrorCode::LegacyVersion;
        reason = "unsupported protocol version";
        break;
    case SG_ERR_NO_SESSION:
        mapped = CryptoErrorCode::NoSession;
        reason = "no session";
        break;
    case SG_ERR_INVALID_KEY:
    case SG_ERR_INVALID_KEY_ID:
    case SG_ERR_VRF_SIG_VERIF_FAILED:
    case SG_ERR_FP_VERSION_MISMATCH:
    case SG_ERR_FP_IDENT_MISMATCH:
        mapped = CryptoErrorCode::InvalidKey;
        reason = "invalid or unknown key";
        break;
    case kStoreFailureCode:
        mapped = CryptoErrorCode::StoreFailure;
        reason = "protocol store failure";
        break;
    case kCommitRefusedCode:
        mapped = CryptoErrorCode::StoreFailure;
        reason = "the plaintext could not be committed";
        break;
    case SG_ERR_NOMEM: reason = "out of memory"; break;
    default: break;
    }
    std::string message(what);
    message += ": ";
    message += reason;
    message += " (libsignal ";
    message += std::to_string(code);
    message += ')';
    return CryptoError { mapped, std::move(message) };
}

} // namespace tenchat::crypto::detail
