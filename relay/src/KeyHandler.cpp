// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyHandler.h"

#include "Metrics.h"
#include "Responses.h"

#include "tenchat/crypto/Identity.h"

#include <algorithm>

namespace tenchat::relay {

namespace v1 = tenchat::v1;

namespace {
crypto::ByteView view(const std::string& s)
{
    return { reinterpret_cast<const std::uint8_t*>(s.data()), s.size() };
}
} // namespace

void KeyHandler::upload(Connection& connection, std::uint64_t requestId, const v1::UploadPreKeysRequest& request)
{
    std::optional<SignedPreKeyRecord> signedPreKey;
    if (request.has_signed_pre_key()) {
        const auto& s = request.signed_pre_key();
        auto devices = ctx_.storage.devices(connection.userId());
        if (!devices) {
            connection.respond(requestId, storageFailure(devices.error()));
            return;
        }
        const auto it = std::find_if(devices->begin(), devices->end(),
            [&](const DeviceRecord& d) { return d.deviceId == connection.deviceId(); });
        // A bundle whose signature does not verify would only break X3DH for
        // others: refuse it here.
        if (it == devices->end()
            || !crypto::verifyIdentitySignature(view(it->identityKey), view(s.public_key()), view(s.signature()))) {
            connection.respond(
                requestId, errorResponse(v1::STATUS_BAD_REQUEST, "the signed pre-key's signature does not verify"));
            return;
        }
        signedPreKey = SignedPreKeyRecord { s.key_id(), s.public_key(), s.signature(), s.timestamp_ms() };
    }
    std::vector<OneTimePreKeyRecord> oneTime;
    oneTime.reserve(static_cast<std::size_t>(request.one_time_pre_keys_size()));
    for (const auto& k : request.one_time_pre_keys())
        oneTime.push_back({ k.key_id(), k.public_key() });
    auto count = ctx_.storage.uploadPreKeys(
        connection.userId(), connection.deviceId(), signedPreKey, oneTime, request.replace_one_time());
    if (!count) {
        connection.respond(requestId, storageFailure(count.error()));
        return;
    }
    auto response = okResponse();
    response.mutable_upload_pre_keys()->set_one_time_count(*count);
    connection.respond(requestId, std::move(response));
}

void KeyHandler::count(Connection& connection, std::uint64_t requestId)
{
    auto count = ctx_.storage.oneTimePreKeyCount(connection.userId(), connection.deviceId());
    auto hasSigned = ctx_.storage.hasSignedPreKey(connection.userId(), connection.deviceId());
    if (!count || !hasSigned) {
        connection.respond(requestId, storageFailure(!count ? count.error() : hasSigned.error()));
        return;
    }
    auto response = okResponse();
    response.mutable_pre_key_count()->set_one_time_count(*count);
    response.mutable_pre_key_count()->set_has_signed_pre_key(*hasSigned);
    connection.respond(requestId, std::move(response));
}

void KeyHandler::fetch(Connection& connection, std::uint64_t requestId, const v1::FetchBundlesRequest& request)
{
    std::uint32_t retry = 0;
    if (!ctx_.bundleLimiter.take(connection.userId(), static_cast<std::int64_t>(nowMs()), retry)) {
        Metrics::instance().add("bundle_fetches_limited_total");
        auto response = errorResponse(v1::STATUS_RATE_LIMITED, "too many bundle fetches; retry later");
        response.set_retry_after_ms(retry);
        connection.respond(requestId, std::move(response));
        return;
    }
    auto devices = ctx_.storage.devices(request.user_id());
    if (!devices) {
        connection.respond(requestId, storageFailure(devices.error()));
        return;
    }
    std::vector<DeviceRecord> targets;
    for (const auto& d : *devices)
        if (d.active() && (request.device_id() == 0 || d.deviceId == request.device_id()))
            targets.push_back(d);
    if (targets.empty()) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such active device"));
        return;
    }
    auto response = okResponse();
    auto* list = response.mutable_fetch_bundles();
    for (const auto& device : targets) {
        auto bundle = ctx_.storage.takeBundle(device);
        if (!bundle) {
            connection.respond(requestId, storageFailure(bundle.error()));
            return;
        }
        if (!bundle->signedPreKey)
            continue; // not yet published: no session can be started with it
        auto* b = list->add_bundles();
        b->mutable_device()->set_user_id(device.userId);
        b->mutable_device()->set_device_id(device.deviceId);
        b->set_registration_id(device.registrationId);
        b->set_identity_key(device.identityKey);
        auto* spk = b->mutable_signed_pre_key();
        spk->set_key_id(bundle->signedPreKey->keyId);
        spk->set_public_key(bundle->signedPreKey->publicKey);
        spk->set_signature(bundle->signedPreKey->signature);
        spk->set_timestamp_ms(bundle->signedPreKey->timestampMs);
        if (bundle->oneTimePreKey) {
            b->mutable_one_time_pre_key()->set_key_id(bundle->oneTimePreKey->keyId);
            b->mutable_one_time_pre_key()->set_public_key(bundle->oneTimePreKey->publicKey);
            noticeIfLow(device.userId, device.deviceId);
        }
    }
    Metrics::instance().add("bundle_fetches_total");
    if (list->bundles_size() == 0) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no device has published a bundle yet"));
        return;
    }
    connection.respond(requestId, std::move(response));
}

void KeyHandler::noticeIfLow(const std::string& userId, std::uint32_t deviceId)
{
    auto count = ctx_.storage.oneTimePreKeyCount(userId, deviceId);
    if (!count || *count >= ctx_.config.preKeyLowThreshold)
        return;
    for (auto* target : ctx_.hub.connectionsOf(userId, deviceId)) {
        v1::Event event;
        event.mutable_pre_keys_low()->set_one_time_count(*count);
        event.mutable_pre_keys_low()->set_threshold(ctx_.config.preKeyLowThreshold);
        target->push(std::move(event), SendPriority::Primary);
    }
}

} // namespace tenchat::relay
