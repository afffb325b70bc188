// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A token bucket: `rate` tokens per second, at most `burst` saved up.

#include <algorithm>
#include <cstdint>

namespace tenchat::relay {

class TokenBucket {
public:
    TokenBucket() = default;
    TokenBucket(double ratePerSecond, double burst, std::int64_t nowMs)
        : rate_(ratePerSecond), burst_(burst), tokens_(burst), lastMs_(nowMs)
    { }

    // Takes `cost` tokens when available. On refusal, retryAfterMs tells
    // when enough tokens will be there.
    bool take(std::int64_t nowMs, double cost = 1.0)
    {
        refill(nowMs);
        if (tokens_ >= cost) {
            tokens_ -= cost;
            return true;
        }
        return false;
    }

    std::uint32_t retryAfterMs(double cost = 1.0) const
    {
        if (rate_ <= 0)
            return 1000;
        const double missing = std::max(0.0, cost - tokens_);
        return static_cast<std::uint32_t>(missing / rate_ * 1000.0) + 1;
    }

    bool full(std::int64_t nowMs)
    {
        refill(nowMs);
        return tokens_ >= burst_;
    }

private:
    void refill(std::int64_t nowMs)
    {
        if (nowMs > lastMs_) {
            tokens_ = std::min(burst_, tokens_ + static_cast<double>(nowMs - lastMs_) * rate_ / 1000.0);
            lastMs_ = nowMs;
        }
    }

    double rate_ = 0;
    double burst_ = 0;
    double tokens_ = 0;
    std::int64_t lastMs_ = 0;
};

} // namespace tenchat::relay
