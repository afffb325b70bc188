// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Counters, gauges and latency histograms, rendered in the Prometheus text
// format by the /metrics endpoint. Single-threaded like the rest of the relay.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace tenchat::relay {

class Metrics {
public:
    static Metrics& instance();

    void add(const std::string& counter, double value = 1.0) { counters_[counter] += value; }
    void set(const std::string& gauge, double value) { gauges_[gauge] = value; }
    // Gauges computed at scrape time (queue depths, connections).
    void setProvider(const std::string& gauge, std::function<double()> provider)
    {
        providers_[gauge] = std::move(provider);
    }
    void observeMs(const std::string& histogram, double milliseconds);

    double counter(const std::string& name) const
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

    std::map<std::string, double> counters_;
    std::map<std::string, double> gauges_;
    std::map<std::string, std::function<double()>> providers_;
    std::map<std::string, Histogram> histograms_;
};

} // namespace tenchat::relay
