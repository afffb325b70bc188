// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Constants and signing payloads of the TenChat wire protocol that client and
// relay must agree on byte for byte. The messages themselves are the .proto
// files under protocol/proto (generated headers: "tenchat/v1/frame.pb.h").

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tenchat::protocol {

constexpr std::uint32_t kProtocolVersion = 1;
constexpr std::uint32_t kMinProtocolVersion = 1;

// Optional features negotiated at hello.
inline constexpr std::string_view kFeatureTyping = "typing";
inline constexpr std::string_view kFeaturePresence = "presence";
inline constexpr std::string_view kFeatureEphemeral = "ephemeral";

constexpr std::size_t kUserIdBytes = 16;
constexpr std::size_t kConversationIdBytes = 16;
constexpr std::size_t kMessageIdBytes = 16;
constexpr std::size_t kChallengeBytes = 32;
constexpr std::size_t kIdentityKeyBytes = 33;
constexpr std::size_t kSignatureBytes = 64;

// Payload signed at registration: "tenchat-register-v1" || handle || identity_key.
std::string registerAccountPayload(std::string_view handle, std::string_view identityKey);
// Payload signed by a device being added: "tenchat-device-v1" || user_id || identity_key.
std::string registerDevicePayload(std::string_view userId, std::string_view identityKey);
// Payload signed at authentication:
// "tenchat-auth-v1" || challenge || user_id || device_id (big endian u32).
std::string authenticatePayload(std::string_view challenge, std::string_view userId, std::uint32_t deviceId);

} // namespace tenchat::protocol
