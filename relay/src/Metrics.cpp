// SPDX-License-Identifier: GPL-3.0-or-later
#include "Metrics.h"

#include <cstdio>

namespace tenchat::relay {

namespace {
std::string number(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}
} // namespace

Metrics& Metrics::instance()
{
    static Metrics metrics;
    return metrics;
}

void Metrics::observeMs(std::string_view histogram, double milliseconds)
{
    auto& h = slot(histograms_, histogram);
    for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
        if (milliseconds <= kBucketsMs[i])
            ++h.buckets[i];
    }
    ++h.count;
    h.sum += milliseconds;
}

std::string Metrics::render() const
{
    std::string out;
    for (const auto& [name, value] : counters_) {
        out += "# TYPE tenchat_relay_" + name + " counter\n";
        out += "tenchat_relay_" + name + " " + number(value) + "\n";
    }
    auto gauges = gauges_;
    for (const auto& [name, provider] : providers_)
        gauges[name] = provider();
    for (const auto& [name, value] : gauges) {
        out += "# TYPE tenchat_relay_" + name + " gauge\n";
        out += "tenchat_relay_" + name + " " + number(value) + "\n";
    }
    for (const auto& [name, h] : histograms_) {
        const std::string base = "tenchat_relay_" + name;
        out += "# TYPE " + base + " histogram\n";
        for (std::size_t i = 0; i < kBucketsMs.size(); ++i)
            out += base + "_bucket{le=\"" + number(kBucketsMs[i] / 1000.0) + "\"} " + std::to_string(h.buckets[i])
                + "\n";
        out += base + "_bucket{le=\"+Inf\"} " + std::to_string(h.count) + "\n";
        out += base + "_sum " + number(h.sum / 1000.0) + "\n";
        out += base + "_count " + std::to_string(h.count) + "\n";
    }
    return out;
}

} // namespace tenchat::relay
