// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Token buckets by key (account id, requester id). Idle full buckets are
// forgotten so the map stays bounded by the active keys.

#include "TokenBucket.h"

#include <string>
#include <unordered_map>

namespace tenchat::relay {

class RateLimiter {
public:
    RateLimiter(double ratePerSecond, double burst) : rate_(ratePerSecond), burst_(burst) { }

    bool take(const std::string& key, std::int64_t nowMs, std::uint32_t& retryAfterMs, double cost = 1.0)
    {
        auto it = buckets_.find(key);
        if (it == buckets_.end()) {
            if (buckets_.size() > kSweepAbove)
                sweep(nowMs);
            it = buckets_.emplace(key, TokenBucket(rate_, burst_, nowMs)).first;
        }
        if (it->second.take(nowMs, cost))
            return true;
        retryAfterMs = it->second.retryAfterMs(cost);
        return false;
    }

private:
    static constexpr std::size_t kSweepAbove = 50000;

    void sweep(std::int64_t nowMs)
    {
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = it->second.full(nowMs) ? buckets_.erase(it) : std::next(it);
    }

    double rate_;
    double burst_;
    std::unordered_map<std::string, TokenBucket> buckets_;
};

} // namespace tenchat::relay
