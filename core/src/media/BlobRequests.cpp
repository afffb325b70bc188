// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlobRequests.h"

namespace tenchat::core::media {

namespace v1 = tenchat::v1;

namespace {

MediaError fromStatus(const v1::Response& response)
{
    const QString reason = QString::fromStdString(response.reason());
    const int status = int(response.status());
    switch (response.status()) {
    case v1::STATUS_QUOTA_EXCEEDED: return { MediaErrorCode::QuotaExceeded, reason, status };
    case v1::STATUS_TOO_LARGE: return { MediaErrorCode::TooLarge, reason, status };
    case v1::STATUS_FORBIDDEN: return { MediaErrorCode::Forbidden, reason, status };
    case v1::STATUS_NOT_FOUND: return { MediaErrorCode::Missing, reason, status };
    default: break;
    }
    return { MediaErrorCode::Relay,
        reason.isEmpty() ? QStringLiteral("the relay refused (status %1)").arg(status) : reason, status };
}

} // namespace

void sendBlobRequest(
    const RelayClientProvider& provider, const v1::Request& request, BlobResponseHandler done, int timeoutMs)
{
    messaging::RelayClient* client = provider ? provider() : nullptr;
    if (!client || !client->isOpen()) {
        done(mediaError(MediaErrorCode::Network, QStringLiteral("not connected to the relay")));
        return;
    }
    client->request(
        request,
        [done = std::move(done)](messaging::MessagingExpected<v1::Response> response) {
            if (!response) {
                done(mediaError(MediaErrorCode::Network, response.error().message));
                return;
            }
            if (response->status() != v1::STATUS_OK) {
                done(Unexpected<MediaError>(fromStatus(*response)));
                return;
            }
            done(std::move(*response));
        },
        timeoutMs);
}

bool isTransient(const MediaError& error)
{
    if (error.code == MediaErrorCode::Network)
        return true;
    if (error.code != MediaErrorCode::Relay)
        return false;
    return error.relayStatus == v1::STATUS_RATE_LIMITED || error.relayStatus == v1::STATUS_UNAVAILABLE
        || error.relayStatus == v1::STATUS_INTERNAL || error.relayStatus == v1::STATUS_WRONG_STATE
        || error.relayStatus == v1::STATUS_UNAUTHENTICATED;
}

} // namespace tenchat::core::media
