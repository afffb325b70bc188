// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Counters, gauges and latency histograms, rendered in the Prometheus text
// format by the /metrics endpoint. Single-threaded like the rest of the relay.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace tenchat::relay {

class Metrics {
public:
    static Metrics& instance();

    // Names are looked up without building a std::string: these run several
    // times per message.
    void add(std::string_view counter, double value = 1.0) { slot(counters_, counter) += value; }
    void set(std::string_view gauge, double value) { slot(gauges_, gauge) = value; }
    // Gauges computed at scrape time (queue depths, connections).
    void setProvider(const std::string& gauge, std::function<double()> provider)
    {
        providers_[gauge] = std::move(provider);
    }
    void observeMs(std::string_view histogram, double milliseconds);

    double counter(std::string_view name) const
    {
        const auto it = counters_.find(name);
        return it == counters_.end() ? 0.0 : it->second;
    }

    std::string render() const;

private:
    static constexpr std::array<double, 12> kBucketsMs { 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000, 5000 };
    struct Histogram {
        std::array<std::uint64_t, kBucketsMs.size()> buckets {};
        std::uint64_t count = 0;
        double sum = 0;
    };

    template <typename Map> static typename Map::mapped_type& slot(Map& map, std::string_view name)
    {
        auto it = map.find(name);
        if (it == map.end())
            it = map.emplace(std::string(name), typename Map::mapped_type {}).first;
        return it->second;
    }

    std::map<std::string, double, std::less<>> counters_;
    std::map<std::string, double, std::less<>> gauges_;
    std::map<std::string, std::function<double()>> providers_;
    std::map<std::string, Histogram, std::less<>> histograms_;
};

} // namespace tenchat::relay
