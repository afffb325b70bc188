// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Collected end-to-end latencies and their percentiles.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace tenchat::bench {

class LatencyStats {
public:
    void add(double milliseconds) { samples_.push_back(milliseconds); }
    std::size_t count() const { return samples_.size(); }
    void merge(const LatencyStats& other)
    {
        samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
    }

    // p in [0, 100]; 0 when empty.
    double percentile(double p)
    {
        if (samples_.empty())
            return 0.0;
        std::sort(samples_.begin(), samples_.end());
        const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples_.size() - 1) + 0.5);
        return samples_[std::min(index, samples_.size() - 1)];
    }

private:
    std::vector<double> samples_;
};

} // namespace tenchat::bench
