// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tenchat::core::plugins {

// A CPU-slice alarm for one plugin: arm() before running plugin code,
// disarm() after. When a run outlives its slice, `onExpire` is called on the
// watchdog's own thread (it interrupts the engine, which is thread-safe).
class Watchdog {
public:
    explicit Watchdog(std::function<void()> onExpire);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    void arm(std::chrono::milliseconds slice);
    // Returns whether the alarm went off during this run.
    bool disarm();

private:
    void loop();

    std::function<void()> onExpire_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool armed_ = false;
    bool fired_ = false;
    bool quit_ = false;
    std::uint64_t generation_ = 0;
    std::chrono::steady_clock::time_point deadline_;
    std::thread thread_;
};

} // namespace tenchat::core::plugins
