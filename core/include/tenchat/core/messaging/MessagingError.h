// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Expected.h"

#include <QString>

namespace tenchat::core::messaging {

enum class MessagingErrorCode {
    InvalidArgument, // a caller error (bad handle, empty text)
    NotRegistered, // the profile has no account yet
    Network, // no connection, or it dropped before the answer
    Timeout, // the relay did not answer in time
    Relay, // the relay refused the request (status in `relayStatus`)
    NotFound, // unknown handle, contact or conversation
    Untrusted, // a contact's identity changed: waiting for the user's decision
    Crypto, // the crypto engine refused
    Store, // the local store failed
    Forbidden, // not allowed in this conversation (a channel reader posting)
};

const char* toString(MessagingErrorCode code);

struct MessagingError {
    MessagingErrorCode code = MessagingErrorCode::Network;
    QString message; // human readable; never contains key material or message text
    int relayStatus = 0; // tenchat.v1.Status with code Relay
};

template <class T> using MessagingExpected = Expected<T, MessagingError>;
using MessagingOk = Expected<void, MessagingError>;

inline Unexpected<MessagingError> messagingError(MessagingErrorCode code, QString message, int relayStatus = 0)
{
    return Unexpected<MessagingError>(MessagingError { code, std::move(message), relayStatus });
}

} // namespace tenchat::core::messaging
