// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/CryptoError.h"

#include <string_view>

namespace tenchat::crypto::detail {

// Error code a store callback returns when the ProtocolStore reported an I/O
// failure, so it is not mistaken for a protocol error. Below SG_ERR_MINIMUM
// as libsignal asks of application codes.
inline constexpr int kStoreFailureCode = -10001;
// Error code of a decrypt commit callback that refused the plaintext.
inline constexpr int kCommitRefusedCode = -10002;

// Maps a libsignal return code to a typed error. `what` names the operation.
CryptoError signalError(int code, std::string_view what);

inline Unexpected<CryptoError> signalFailure(int code, std::string_view what)
{
    return Unexpected<CryptoError>(signalError(code, what));
}

} // namespace tenchat::crypto::detail
