// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/MessagingError.h"

namespace tenchat::core::messaging {

const char* toString(MessagingErrorCode code)
{
    switch (code) {
    case MessagingErrorCode::InvalidArgument: return "invalid argument";
    case MessagingErrorCode::NotRegistered: return "not registered";
    case MessagingErrorCode::Network: return "network";
    case MessagingErrorCode::Timeout: return "timeout";
    case MessagingErrorCode::Relay: return "relay refused";
    case MessagingErrorCode::NotFound: return "not found";
    case MessagingErrorCode::Untrusted: return "untrusted identity";
    case MessagingErrorCode::Crypto: return "crypto";
    case MessagingErrorCode::Store: return "store";
    case MessagingErrorCode::Forbidden: return "forbidden";
    }
    return "unknown";
}

} // namespace tenchat::core::messaging
