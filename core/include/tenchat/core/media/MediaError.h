// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Expected.h"

#include <QString>

namespace tenchat::core::media {

enum class MediaErrorCode {
    InvalidArgument, // a caller error (no such file, not a file message)
    Io, // reading the source or writing the destination failed
    Network, // no connection or it dropped (retried until the job gives up)
    Relay, // the relay refused (status in `relayStatus`)
    QuotaExceeded, // the account's storage quota on the relay is used up
    TooLarge, // the file is larger than the relay accepts
    Forbidden, // not a member of a conversation that holds the file
    Missing, // a chunk is gone from the relay
    Tampered, // a chunk does not match its id or does not decrypt
    InvalidManifest, // the file message does not parse
    Cancelled, // the user cancelled
    Store, // the local store failed
};

const char* toString(MediaErrorCode code);

struct MediaError {
    MediaErrorCode code = MediaErrorCode::Io;
    QString message; // human readable; never contains keys or file contents
    int relayStatus = 0; // tenchat.v1.Status when the relay answered
};

template <class T> using MediaExpected = Expected<T, MediaError>;
using MediaOk = Expected<void, MediaError>;

inline Unexpected<MediaError> mediaError(MediaErrorCode code, QString message, int relayStatus = 0)
{
    return Unexpected<MediaError>(MediaError { code, std::move(message), relayStatus });
}

} // namespace tenchat::core::media
