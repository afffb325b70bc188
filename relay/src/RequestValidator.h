// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Syntactic validation of every request field (sizes, counts, id formats,
// enum ranges) before any handler looks at it. Pure and independent of the
// server so the fuzz target can drive it. Semantic checks (membership,
// roles, device lists) are the handlers' job.

#include "tenchat/v1/frame.pb.h"

#include <cstddef>
#include <optional>
#include <string>

namespace tenchat::relay {

struct ValidationLimits {
    std::size_t maxCiphertextBytes = 1 << 20;
    std::size_t maxMembers = 1000;
    std::size_t maxDeviceCiphertexts = 5000;
    std::size_t maxPreKeysPerUpload = 200;
    std::size_t maxAcks = 1000;
    std::size_t maxEnvelopes = 1000;
    std::size_t maxCursors = 5000;
    std::uint32_t maxPageLimit = 1000;
    std::uint32_t maxTtlSeconds = 366u * 24 * 3600;
};

class RequestValidator {
public:
    explicit RequestValidator(ValidationLimits limits = {}) : limits_(limits) { }

    // std::nullopt when valid, else a human-readable reason.
    std::optional<std::string> validate(const tenchat::v1::Request& request) const;

    static bool isValidHandle(const std::string& handle);
    static bool isValidIdentityKey(const std::string& key);
    static bool isId(const std::string& bytes, std::size_t size) { return bytes.size() == size; }

private:
    std::optional<std::string> validateAccount(const tenchat::v1::Request& request) const;
    std::optional<std::string> validateKeys(const tenchat::v1::Request& request) const;
    std::optional<std::string> validateConversation(const tenchat::v1::Request& request) const;
    std::optional<std::string> validateMessaging(const tenchat::v1::Request& request) const;

    ValidationLimits limits_;
};

} // namespace tenchat::relay
