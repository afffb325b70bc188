// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccountHandler.h"

#include "Logger.h"
#include "Metrics.h"
#include "Responses.h"

#include "tenchat/crypto/Identity.h"
#include "tenchat/protocol/Protocol.h"

#include <algorithm>

namespace tenchat::relay {

namespace v1 = tenchat::v1;
namespace p = tenchat::protocol;

namespace {

crypto::ByteView view(const std::string& s)
{
    return { reinterpret_cast<const std::uint8_t*>(s.data()), s.size() };
}

bool verify(const std::string& key, const std::string& payload, const std::string& signature)
{
    return crypto::verifyIdentitySignature(view(key), view(payload), view(signature));
}

const std::vector<std::string>& supportedFeatures()
{
    static const std::vector<std::string> features { std::string(p::kFeatureTyping), std::string(p::kFeaturePresence),
        std::string(p::kFeatureEphemeral) };
    return features;
}

} // namespace

void AccountHandler::newChallenge(Connection& connection)
{
    connection.setChallenge(randomBytes(p::kChallengeBytes));
}

void AccountHandler::hello(Connection& connection, std::uint64_t requestId, const v1::HelloRequest& request)
{
    std::uint32_t chosen = 0;
    for (const auto version : request.versions())
        if (version >= p::kMinProtocolVersion && version <= p::kProtocolVersion)
            chosen = std::max(chosen, version);
    if (chosen == 0) {
        connection.respond(requestId,
            errorResponse(v1::STATUS_UNSUPPORTED_VERSION,
                "no common protocol version; this relay speaks " + std::to_string(p::kMinProtocolVersion) + ".."
                    + std::to_string(p::kProtocolVersion)));
        return;
    }
    auto response = okResponse();
    auto* hello = response.mutable_hello();
    hello->set_version(chosen);
    connection.features().clear();
    for (const auto& feature : request.features()) {
        const auto& known = supportedFeatures();
        if (std::find(known.begin(), known.end(), feature) != known.end()) {
            hello->add_accepted_features(feature);
            connection.features().insert(feature);
        } else {
            hello->add_rejected_features(feature);
        }
    }
    newChallenge(connection);
    hello->set_challenge(connection.challenge());
    hello->set_max_frame_bytes(static_cast<std::uint32_t>(ctx_.config.maxFrameBytes));
    hello->set_server_time_ms(nowMs());
    if (connection.state() == ConnectionState::AwaitingHello)
        connection.setState(ConnectionState::Unauthenticated);
    connection.respond(requestId, std::move(response));
}

void AccountHandler::registerAccount(
    Connection& connection, std::uint64_t requestId, const v1::RegisterAccountRequest& request)
{
    std::uint32_t retry = 0;
    if (!ctx_.registrationLimiter.take("relay", static_cast<std::int64_t>(nowMs()), retry)) {
        auto response = errorResponse(v1::STATUS_RATE_LIMITED, "too many registrations; retry later");
        response.set_retry_after_ms(retry);
        connection.respond(requestId, std::move(response));
        return;
    }
    if (!verify(request.identity_key(), p::registerAccountPayload(request.handle(), request.identity_key()),
            request.signature())) {
        connection.respond(
            requestId, errorResponse(v1::STATUS_UNAUTHENTICATED, "the signature does not match the identity key"));
        return;
    }
    DeviceRecord device;
    device.userId = randomBytes(p::kUserIdBytes);
    device.deviceId = 1;
    device.identityKey = request.identity_key();
    device.registrationId = request.registration_id();
    device.name = request.device_name();
    device.createdMs = nowMs();
    if (auto created = ctx_.storage.createAccount(request.handle(), device); !created) {
        connection.respond(requestId, storageFailure(created.error()));
        return;
    }
    Metrics::instance().add("accounts_registered_total");
    Logger::instance().info(
        "account_registered", { { QStringLiteral("user"), Logger::instance().redact(device.userId) } });
    auto response = okResponse();
    response.mutable_register_account()->set_user_id(device.userId);
    response.mutable_register_account()->set_device_id(device.deviceId);
    connection.respond(requestId, std::move(response));
}

void AccountHandler::registerDevice(
    Connection& connection, std::uint64_t requestId, const v1::RegisterDeviceRequest& request)
{
    if (!verify(request.identity_key(), p::registerDevicePayload(connection.userId(), request.identity_key()),
            request.signature())) {
        connection.respond(requestId,
            errorResponse(v1::STATUS_UNAUTHENTICATED, "the new device's signature does not match its identity key"));
        return;
    }
    auto existing = ctx_.storage.devices(connection.userId());
    if (!existing) {
        connection.respond(requestId, storageFailure(existing.error()));
        return;
    }
    if (existing->size() >= 64) {
        connection.respond(requestId, errorResponse(v1::STATUS_TOO_LARGE, "at most 64 devices per account"));
        return;
    }
    DeviceRecord device;
    device.userId = connection.userId();
    device.identityKey = request.identity_key();
    device.registrationId = request.registration_id();
    device.name = request.device_name();
    device.createdMs = nowMs();
    auto id = ctx_.storage.addDevice(device);
    if (!id) {
        connection.respond(requestId, storageFailure(id.error()));
        return;
    }
    auto response = okResponse();
    response.mutable_register_device()->set_device_id(*id);
    connection.respond(requestId, std::move(response));
}

void AccountHandler::challenge(Connection& connection, std::uint64_t requestId)
{
    newChallenge(connection);
    auto response = okResponse();
    response.mutable_challenge()->set_challenge(connection.challenge());
    connection.respond(requestId, std::move(response));
}

void AccountHandler::authenticate(
    Connection& connection, std::uint64_t requestId, const v1::AuthenticateRequest& request)
{
    if (connection.authenticated()) {
        connection.respond(requestId, errorResponse(v1::STATUS_WRONG_STATE, "already authenticated"));
        return;
    }
    const std::string challenge = connection.challenge();
    // Single use, whatever the outcome.
    connection.setChallenge({});
    if (challenge.empty()) {
        connection.respond(requestId, errorResponse(v1::STATUS_WRONG_STATE, "request a challenge first"));
        return;
    }
    auto devices = ctx_.storage.devices(request.user_id());
    if (!devices) {
        connection.respond(requestId, storageFailure(devices.error()));
        return;
    }
    const auto it = std::find_if(
        devices->begin(), devices->end(), [&](const DeviceRecord& d) { return d.deviceId == request.device_id(); });
    // The same answer for unknown devices and bad signatures: no enumeration.
    const bool known = it != devices->end();
    if (!known
        || !verify(it->identityKey, p::authenticatePayload(challenge, request.user_id(), request.device_id()),
            request.signature())) {
        Metrics::instance().add("auth_failures_total");
        connection.countGarbage("failed authentication");
        connection.respond(
            requestId, errorResponse(v1::STATUS_UNAUTHENTICATED, "authentication failed; request a new challenge"));
        return;
    }
    if (!it->active()) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "this device was revoked"));
        return;
    }
    connection.setDevice(request.user_id(), request.device_id());
    connection.setState(ConnectionState::Authenticated);
    ctx_.hub.bind(&connection);
    Metrics::instance().add("auth_success_total");
    auto response = okResponse();
    response.mutable_authenticate()->set_server_time_ms(nowMs());
    connection.respond(requestId, std::move(response));

    auto count = ctx_.storage.oneTimePreKeyCount(request.user_id(), request.device_id());
    if (count && *count < ctx_.config.preKeyLowThreshold) {
        v1::Event event;
        event.mutable_pre_keys_low()->set_one_time_count(*count);
        event.mutable_pre_keys_low()->set_threshold(ctx_.config.preKeyLowThreshold);
        connection.push(std::move(event), SendPriority::Primary);
    }
}

void AccountHandler::lookupHandle(
    Connection& connection, std::uint64_t requestId, const v1::LookupHandleRequest& request)
{
    auto user = ctx_.storage.userByHandle(request.handle());
    if (!user) {
        connection.respond(requestId, storageFailure(user.error()));
        return;
    }
    if (!user.value()) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such handle"));
        return;
    }
    auto response = okResponse();
    response.mutable_lookup_handle()->set_user_id(*user.value());
    response.mutable_lookup_handle()->set_handle(request.handle());
    connection.respond(requestId, std::move(response));
}

void AccountHandler::listDevices(Connection& connection, std::uint64_t requestId, const v1::ListDevicesRequest& request)
{
    const std::string userId = request.user_id().empty() ? connection.userId() : request.user_id();
    auto handle = ctx_.storage.handleOf(userId);
    auto devices = ctx_.storage.devices(userId);
    if (!handle || !devices) {
        connection.respond(requestId, storageFailure(!handle ? handle.error() : devices.error()));
        return;
    }
    if (!handle.value()) {
        connection.respond(requestId, errorResponse(v1::STATUS_NOT_FOUND, "no such user"));
        return;
    }
    auto response = okResponse();
    auto* list = response.mutable_list_devices();
    list->set_user_id(userId);
    list->set_handle(*handle.value());
    for (const auto& d : *devices) {
        if (!d.active() && !request.include_revoked())
            continue;
        auto* info = list->add_devices();
        info->set_device_id(d.deviceId);
        info->set_identity_key(d.identityKey);
        info->set_registration_id(d.registrationId);
        info->set_name(d.name);
        info->set_created_ms(d.createdMs);
        info->set_revoked(!d.active());
        info->set_revoked_ms(d.revokedMs);
    }
    connection.respond(requestId, std::move(response));
}

void AccountHandler::revokeDevice(
    Connection& connection, std::uint64_t requestId, const v1::RevokeDeviceRequest& request)
{
    const std::string userId = connection.userId();
    if (auto revoked = ctx_.storage.revokeDevice(userId, request.device_id(), nowMs()); !revoked) {
        connection.respond(requestId, storageFailure(revoked.error()));
        return;
    }
    ctx_.revokedDevices.insert({ userId, request.device_id() });
    Logger::instance().info("device_revoked",
        { { QStringLiteral("user"), Logger::instance().redact(userId) },
            { QStringLiteral("device"), static_cast<qint64>(request.device_id()) } });
    connection.respond(requestId, okResponse());
    // Tell every device of the user; close the revoked device's connections.
    const auto targets = ctx_.hub.connectionsOf(userId);
    for (auto* target : targets) {
        v1::Event event;
        event.mutable_device_revoked()->mutable_device()->set_user_id(userId);
        event.mutable_device_revoked()->mutable_device()->set_device_id(request.device_id());
        target->push(std::move(event), SendPriority::Primary);
        if (target->deviceId() == request.device_id())
            target->drainAndClose();
    }
}

} // namespace tenchat::relay
