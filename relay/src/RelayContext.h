// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What every request handler shares: configuration, storage, connections,
// validation and the abuse guard's rate limiters.

#include "DeliveryHub.h"
#include "RateLimiter.h"
#include "RelayConfig.h"
#include "RequestValidator.h"
#include "Storage.h"

#include <set>
#include <utility>

namespace tenchat::relay {

struct RelayContext {
    explicit RelayContext(const RelayConfig& cfg, Storage& store)
        : config(cfg), storage(store), accountLimiter(cfg.accountRate, cfg.accountBurst),
          bundleLimiter(cfg.bundleFetchPerMinute / 60.0, cfg.bundleFetchBurst),
          registrationLimiter(cfg.registrationsPerMinute / 60.0, cfg.registrationBurst),
          validator(ValidationLimits { static_cast<std::size_t>(cfg.maxFrameBytes) })
    { }

    RelayConfig config;
    Storage& storage;
    DeliveryHub hub;
    RateLimiter accountLimiter;
    RateLimiter bundleLimiter;
    RateLimiter registrationLimiter;
    RequestValidator validator;
    // Devices revoked while this relay runs: their open connections are
    // refused on the next request without a storage lookup (a revoked
    // device can never authenticate again; that is checked in storage).
    std::set<std::pair<std::string, std::uint32_t>> revokedDevices;
    bool shuttingDown = false;
};

} // namespace tenchat::relay
