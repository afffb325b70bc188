// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Blob requests over the device's relay connection, with relay statuses
// turned into media errors. Internal to the media pipeline.

#include "tenchat/core/media/MediaError.h"
#include "tenchat/core/messaging/RelayClient.h"

#include <functional>

namespace tenchat::core::media {

// The device's authenticated relay connection, or nullptr while offline.
using RelayClientProvider = std::function<messaging::RelayClient*()>;

using BlobResponseHandler = std::function<void(MediaExpected<tenchat::v1::Response>)>;

// Sends `request` on the live connection; Network when offline.
void sendBlobRequest(
    const RelayClientProvider& provider, const tenchat::v1::Request& request, BlobResponseHandler done, int timeoutMs);

// Worth retrying (connection, timeout, relay busy or restarting).
bool isTransient(const MediaError& error);

} // namespace tenchat::core::media
