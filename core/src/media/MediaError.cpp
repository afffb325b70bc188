// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/MediaError.h"

namespace tenchat::core::media {

const char* toString(MediaErrorCode code)
{
    switch (code) {
    case MediaErrorCode::InvalidArgument: return "invalid argument";
    case MediaErrorCode::Io: return "i/o error";
    case MediaErrorCode::Network: return "network";
    case MediaErrorCode::Relay: return "relay";
    case MediaErrorCode::QuotaExceeded: return "quota exceeded";
    case MediaErrorCode::TooLarge: return "too large";
    case MediaErrorCode::Forbidden: return "forbidden";
    case MediaErrorCode::Missing: return "missing";
    case MediaErrorCode::Tampered: return "tampered";
    case MediaErrorCode::InvalidManifest: return "invalid manifest";
    case MediaErrorCode::Cancelled: return "cancelled";
    case MediaErrorCode::Store: return "store";
    }
    return "unknown";
}

} // namespace tenchat::core::media
