// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The same workload against mosquitto through libmosquitto, for a side-by-side
// comparison: N clients in pairs, QoS 1, persistent sessions, each publishing
// to its peer's topic at the same overall rate and message size.

#include "LatencyStats.h"
#include "RelayLoad.h"

#include <QString>

#include <atomic>
#include <mutex>
#include <vector>

struct mosquitto;

namespace tenchat::bench {

class MosquittoLoad {
public:
    MosquittoLoad(int port, LoadOptions options);
    ~MosquittoLoad();

    bool setup(QString& error);
    LoadResult run(const std::function<void()>& sample);

    // Called from libmosquitto's network threads.
    void onMessage(const void* payload, int size);
    void onConnected() { connected_.fetch_add(1); }
    void onSubscribed() { subscribed_.fetch_add(1); }
    void onPublished() { acked_.fetch_add(1); }

private:
    int port_;
    LoadOptions options_;
    std::vector<mosquitto*> clients_;
    std::atomic<int> connected_ { 0 };
    std::atomic<int> subscribed_ { 0 };
    std::atomic<std::uint64_t> delivered_ { 0 };
    std::atomic<std::uint64_t> acked_ { 0 };
    std::mutex latencyMutex_;
    LatencyStats latency_;
    bool libraryReady_ = false;
};

} // namespace tenchat::bench
